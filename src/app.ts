import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "./config.js";
import type { AppServices, BotContext } from "./bot/context.js";
import { createBot, type CreateBotOptions } from "./bot/create-bot.js";
import { commandList } from "./bot/features/basics/index.js";
import { createI18n } from "./bot/i18n.js";
import { openDatabase, type DatabaseHandle } from "./db/connect.js";
import { migrateToLatest } from "./db/migrate.js";
import { createLogger, type Logger } from "./logger.js";
import { resolveKeys } from "./privacy/keys.js";
import { createPseudonymizer } from "./privacy/pseudonym.js";

export interface AppDependencies {
  logger?: Logger;
  /** A database opened by the caller (tests); it is left open on stop. */
  database?: DatabaseHandle;
  botInfo?: UserFromGetMe;
  extraMiddleware?: CreateBotOptions["extraMiddleware"];
}

export interface RunningApp {
  bot: Bot<BotContext>;
  services: AppServices;
  /** Stops taking updates, lets the ones in flight finish, then closes what start-up opened, in reverse order. */
  stop(): Promise<void>;
}

export async function startApp(config: Config, deps: AppDependencies = {}): Promise<RunningApp> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const database = deps.database ?? (await openDatabase(config));
  const ownsDatabase = !deps.database;
  let runner: RunnerHandle | undefined;
  try {
    await migrateToLatest(database.db);
    const keys = await resolveKeys(config, logger);
    const services: AppServices = {
      config,
      db: database.db,
      logger,
      keys,
      pseudonymize: createPseudonymizer(keys.pseudonymKey),
    };
    const bot = createBot(services, {
      ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
      ...(deps.extraMiddleware ? { extraMiddleware: deps.extraMiddleware } : {}),
    });
    await bot.init();
    await registerCommands(bot, config);
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: {
        fetch: { allowed_updates: ["message", "edited_message", "callback_query"] },
        // Keep asking after network errors instead of giving up: Telegram outages are normal.
        retryInterval: "exponential",
        maxRetryTime: Number.POSITIVE_INFINITY,
      },
    });
    logger.info({ bot: bot.botInfo.username, database: database.kind }, "Svidok is running (long polling)");
    const activeRunner = runner;
    return {
      bot,
      services,
      async stop() {
        if (activeRunner.isRunning()) await activeRunner.stop();
        if (ownsDatabase) await database.close();
        logger.info("Svidok stopped");
      },
    };
  } catch (error) {
    if (runner?.isRunning()) await runner.stop();
    if (ownsDatabase) await database.close();
    throw error;
  }
}

async function registerCommands(bot: Bot<BotContext>, config: Config): Promise<void> {
  const i18n = createI18n(config.defaultLocale);
  const scope = { type: "all_private_chats" } as const;
  await bot.api.setMyCommands(commandList(i18n, "en"), { scope });
  await bot.api.setMyCommands(commandList(i18n, "uk"), { scope, language_code: "uk" });
}
