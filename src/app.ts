import { type Bot, Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "./config.js";
import type { AppServices, BotContext } from "./bot/context.js";
import { chatKey, createBot, type CreateBotOptions, type SvidokBot } from "./bot/create-bot.js";
import { commandList } from "./bot/features/basics/index.js";
import { pendingCardsJob } from "./bot/features/moderation/desk.js";
import { createI18n } from "./bot/i18n.js";
import { type ChatLock, createPostgresChatLock, singleProcessChatLock } from "./bot/middleware/chat-lock.js";
import { openDatabase, type DatabaseHandle } from "./db/connect.js";
import { migrateToLatest } from "./db/migrate.js";
import { seedAdmins } from "./db/staff.js";
import { draftsTtlJob } from "./jobs/drafts-ttl.js";
import { createJobRunner } from "./jobs/job-runner.js";
import { withdrawnRetentionJob } from "./jobs/withdrawn-retention.js";
import { createLogger, type Logger } from "./logger.js";
import { createSanitizer } from "./media/sanitize.js";
import { verifyKeys } from "./privacy/key-check.js";
import { resolveKeys } from "./privacy/keys.js";
import { createPseudonymizer } from "./privacy/pseudonym.js";
import { startHttpServer } from "./server/http-server.js";
import { countingSanitizer, createMetrics } from "./server/metrics.js";
import { startPolling } from "./server/polling.js";
import { createPollingLease, type PollingLease } from "./server/polling-lease.js";
import { createUpdateProcessor } from "./server/update-processor.js";

export interface AppDependencies {
  logger?: Logger;
  /** A database opened by the caller (tests); it is left open on stop. */
  database?: DatabaseHandle;
  botInfo?: UserFromGetMe;
  extraMiddleware?: CreateBotOptions["extraMiddleware"];
  apiLimits?: CreateBotOptions["apiLimits"];
}

export interface RunningApp {
  bot: SvidokBot;
  services: AppServices;
  /** Where the HTTP server (webhook, /healthz, /metrics) listens, when PORT is set. */
  httpPort: number | undefined;
  /** Stops taking updates, lets the ones in flight finish, then closes what start-up opened, in reverse order. */
  stop(): Promise<void>;
}

export async function startApp(config: Config, deps: AppDependencies = {}): Promise<RunningApp> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const database = deps.database ?? (await openDatabase(config));
  const ownsDatabase = !deps.database;
  // What start-up opened, closed in reverse order by stop() or by a failed start-up.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, "shutdown step failed"));
    }
  };
  try {
    await migrateToLatest(database.db);
    const keys = await resolveKeys(config, logger);
    // Before anything is written: a wrong key would file data nobody could link or read again.
    await verifyKeys(database.db, keys);
    const metrics = createMetrics({ processMetrics: true });
    const services: AppServices = {
      config,
      db: database.db,
      logger,
      keys,
      pseudonymize: createPseudonymizer(keys.pseudonymKey),
      metrics,
      sanitizer: countingSanitizer(
        createSanitizer({
          concurrency: config.sanitizeConcurrency,
          maxBytes: config.maxPhotoBytes,
          maxPixels: config.maxPhotoPixels,
        }),
        metrics,
      ),
    };
    const webhook = Boolean(config.webhookUrl && config.webhookSecret && config.port);
    // Webhook processes share the updates, so each chat is locked while handled; a polling process takes them all,
    // alone, under a lease; the embedded database admits one process anyway.
    let lease: PollingLease | undefined;
    let chatLock: ChatLock = singleProcessChatLock;
    if (database.dedicatedPool && webhook) {
      chatLock = createPostgresChatLock({ pool: database.dedicatedPool(CHAT_LOCK_CONNECTIONS), waitTimeoutMs: 60_000, logger });
    } else if (database.dedicatedPool) {
      const botId = config.botToken.split(":")[0] ?? "";
      lease = createPollingLease({ pool: database.dedicatedPool(1), key: services.pseudonymize(`polling:${botId}`), logger });
      chatLock = lease;
    }
    closers.push(() => chatLock.close());
    const bot = createBot(services, {
      ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
      ...(deps.extraMiddleware ? { extraMiddleware: deps.extraMiddleware } : {}),
      ...(deps.apiLimits ? { apiLimits: deps.apiLimits } : {}),
      chatLock,
    });
    // Intake calls this once for each case it commits, which makes it the place to count submitted cases.
    services.notifyCaseSubmitted = (caseId) => {
      metrics.caseSubmitted();
      return bot.moderation.caseSubmitted(caseId);
    };
    const seeded = await seedAdmins(database.db, config.adminIds);
    if (seeded > 0) logger.info({ count: seeded }, "admins from ADMIN_IDS made active");
    await bot.init();
    await registerCommands(bot, config);
    const jobs = createJobRunner({ logger });
    jobs.register(draftsTtlJob(database.db, config.draftTtlDays));
    jobs.register(withdrawnRetentionJob(database.db, config.withdrawnRetentionDays));
    jobs.register(pendingCardsJob(bot.moderation));
    closers.push(() => jobs.stop());
    const processor = createUpdateProcessor(bot, services, createI18n(config.defaultLocale));
    let httpPort: number | undefined;
    if (webhook && config.webhookUrl && config.webhookSecret && config.port) {
      // Listening before setWebhook, so Telegram's first post finds the server.
      const http = await startHttpServer({
        port: config.port,
        ...(config.host ? { host: config.host } : {}),
        services,
        webhook: { path: new URL(config.webhookUrl).pathname, secret: config.webhookSecret, processor },
      });
      closers.push(() => http.close());
      httpPort = http.port;
      await bot.api.setWebhook(config.webhookUrl, {
        secret_token: config.webhookSecret,
        allowed_updates: [...allowedUpdates],
      });
    } else {
      if (config.port) {
        const http = await startHttpServer({ port: config.port, ...(config.host ? { host: config.host } : {}), services });
        closers.push(() => http.close());
        httpPort = http.port;
      }
      await lease?.acquire();
      await bot.api.deleteWebhook();
      const poller = startPolling(bot, processor, logger, services.metrics, {
        allowedUpdates,
        orderKey: (update) => chatKey(new Context(update, bot.api, bot.botInfo)) ?? `update:${update.update_id}`,
      });
      closers.push(() => poller.stop());
    }
    const mode = config.webhookUrl ? "webhook" : "long polling";
    logger.info({ bot: bot.botInfo.username, database: database.kind, mode, port: httpPort }, `Svidok is running (${mode})`);
    // Cards that a crash or an unreachable group kept from the moderators are posted now.
    void bot.moderation.sweep().catch((error: unknown) => logger.error({ err: error }, "could not post pending case cards"));
    return {
      bot,
      services,
      httpPort,
      async stop() {
        await closeAll();
        await bot.moderation.close();
        if (ownsDatabase) await database.close();
        logger.info("Svidok stopped");
      },
    };
  } catch (error) {
    await closeAll();
    if (ownsDatabase) await database.close();
    throw error;
  }
}

const allowedUpdates = ["message", "edited_message", "callback_query"] as const;
/** Chats one process handles at the same moment; each holds a connection of the lock pool while it runs. */
const CHAT_LOCK_CONNECTIONS = 16;

async function registerCommands(bot: Bot<BotContext>, config: Config): Promise<void> {
  const i18n = createI18n(config.defaultLocale);
  const scope = { type: "all_private_chats" } as const;
  await bot.api.setMyCommands(commandList(i18n, "en"), { scope });
  await bot.api.setMyCommands(commandList(i18n, "uk"), { scope, language_code: "uk" });
}
