import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type AppDependencies, type RunningApp, startApp } from "../../src/app.js";
import { type Config, parseConfig } from "../../src/config.js";
import type { Db } from "../../src/db/connect.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "./fake-bot-api.js";
import { TelegramUser, type UserProfile } from "./telegram-user.js";

export interface StartSvidokOptions {
  /** Default: a new fake, stopped by stop(). */
  api?: FakeBotApi;
  /** Default: a fresh test database (PGlite, or a schema on TEST_DATABASE_URL), closed by stop(). */
  database?: TestDatabase;
  /** More settings, as in .env (ADMIN_IDS, MODERATION_CHAT_ID, DEFAULT_LOCALE, MAX_PHOTO_BYTES, ...). */
  env?: Record<string, string>;
  /** Default: a logger at LOG_LEVEL (silent unless env sets it). */
  logger?: Logger;
  extraMiddleware?: AppDependencies["extraMiddleware"];
  /** Outgoing message limits instead of Telegram's (which allow 20 messages a minute into a group). */
  apiLimits?: AppDependencies["apiLimits"];
}

export interface RunningSvidok {
  api: FakeBotApi;
  database: TestDatabase;
  db: Db;
  config: Config;
  /** The bot as started last (restart() replaces it). */
  app: RunningApp;
  /** A new person who will talk to the bot. */
  user(profile?: UserProfile): TelegramUser;
  /** Stops the bot and starts a new one on the same database and fake, as after a deploy. */
  restart(): Promise<void>;
  /** Stops the bot, then closes what was opened for it (database, fake, data folder), in reverse order. */
  stop(): Promise<void>;
}

/**
 * The real Svidok bot in this process, long polling the fake Bot API, on a test database. Updates are
 * tracked to the end of their handling, so `user.settled()` means the bot's state is saved.
 */
export async function startSvidok(options: StartSvidokOptions = {}): Promise<RunningSvidok> {
  const ownsApi = !options.api;
  const api = options.api ?? (await FakeBotApi.start());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-e2e-"));
  let database: TestDatabase | undefined;
  const ownsDatabase = !options.database;
  try {
    database = options.database ?? (await createTestDatabase());
    const config = parseConfig({
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_API_ROOT: api.apiRoot,
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      PSEUDONYM_KEY: randomBytes(32).toString("hex"),
      DATA_KEY: randomBytes(32).toString("hex"),
      ...options.env,
    });
    if (!config.botApiRoot || new URL(config.botApiRoot).hostname !== "127.0.0.1") {
      throw new Error("startSvidok: BOT_API_ROOT must stay on the fake Bot API");
    }
    const logger = options.logger ?? createLogger(config.logLevel);
    const deps: AppDependencies = {
      database,
      logger,
      ...(options.extraMiddleware ? { extraMiddleware: options.extraMiddleware } : {}),
      ...(options.apiLimits ? { apiLimits: options.apiLimits } : {}),
    };
    const launch = async () => {
      const app = await startApp(config, deps);
      api.instrument(app.bot);
      return app;
    };
    const openDatabase = database;
    let app = await launch();
    let stopped = false;
    return {
      api,
      database: openDatabase,
      db: openDatabase.db,
      config,
      get app() {
        return app;
      },
      user: (profile) => new TelegramUser(api, profile),
      async restart() {
        await app.stop();
        app = await launch();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.stop();
        if (ownsDatabase) await openDatabase.close();
        if (ownsApi) await api.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (ownsDatabase) await database?.close();
    if (ownsApi) await api.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
