import { performance } from "node:perf_hooks";
import type { I18n } from "@grammyjs/i18n";
import { type Bot, BotError, Context } from "grammy";
import type { Update } from "grammy/types";
import { sql } from "kysely";
import type { AppServices, BotContext } from "../bot/context.js";
import { localeFromLanguageCode } from "../bot/i18n.js";
import { isTransientDatabaseError } from "./database-errors.js";
import { takeOutcome } from "./update-outcome.js";

/**
 * `done`: the update took effect, or failed for good and its sender got an apology; it may be acknowledged.
 * `again`: the database could not be used; the update must not be acknowledged, it has to be handled later.
 */
export type AttemptResult = "done" | "again";

export interface UpdateProcessor {
  attempt(update: Update): Promise<AttemptResult>;
}

export interface UpdateProcessorOptions {
  /**
   * An update that keeps failing with a database error while the database answers `select 1` is not waiting
   * for an outage to end (a poisoned lock, a bug): after this many attempts it is given up, so it cannot hold
   * its chat, and in long polling every later update, forever.
   */
  maxAttemptsWhileDatabaseUp?: number;
  /** The "please wait" notice goes to a chat at most once in this many milliseconds, however many retries. */
  noticeIntervalMs?: number;
}

const REMEMBERED_FAILURES = 10_000;

export function createUpdateProcessor(
  bot: Bot<BotContext>,
  services: AppServices,
  i18n: I18n<BotContext>,
  options: UpdateProcessorOptions = {},
): UpdateProcessor {
  const { logger, metrics, config } = services;
  const maxAttempts = options.maxAttemptsWhileDatabaseUp ?? 5;
  const noticeInterval = options.noticeIntervalMs ?? 60_000;
  const failures = new Map<number, number>();
  const noticeSentAt = new Map<number, number>();

  async function databaseAnswers(): Promise<boolean> {
    return checkDatabase(services).then((state) => state === "up");
  }

  async function tellToWait(update: Update): Promise<void> {
    const ctx = new Context(update, bot.api, bot.botInfo);
    const chatId = ctx.chat?.id;
    if (chatId === undefined || ctx.chat?.type !== "private") return;
    const now = Date.now();
    const last = noticeSentAt.get(chatId);
    if (last !== undefined && now - last < noticeInterval) return;
    for (const [id, at] of noticeSentAt) if (now - at >= noticeInterval) noticeSentAt.delete(id);
    noticeSentAt.set(chatId, now);
    // The session (and the language chosen there) cannot be read now; the app's language is the best guess.
    const locale = localeFromLanguageCode(ctx.from?.language_code, config.defaultLocale);
    try {
      await bot.api.sendMessage(chatId, i18n.t(locale, "reliability-database-unavailable"));
    } catch (error) {
      logger.warn({ err: error, updateId: update.update_id }, "could not tell the person to wait for the database");
    }
  }

  return {
    async attempt(update) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        await bot.handleUpdate(update);
        failures.delete(update.update_id);
        metrics.updateFinished(takeOutcome(update), seconds());
        return "done";
      } catch (caught) {
        takeOutcome(update);
        const error = caught instanceof BotError ? caught : new BotError(caught, new Context(update, bot.api, bot.botInfo));
        if (isTransientDatabaseError(error.error)) {
          const attempts = (failures.get(update.update_id) ?? 0) + 1;
          if (failures.size >= REMEMBERED_FAILURES) failures.clear();
          failures.set(update.update_id, attempts);
          if (attempts < maxAttempts || !(await databaseAnswers())) {
            logger.warn({ err: error.error, updateId: update.update_id, attempts }, "database unavailable: update kept for later");
            metrics.updateFinished("deferred", seconds());
            await tellToWait(update);
            return "again";
          }
          logger.error({ err: error.error, updateId: update.update_id, attempts }, "update keeps failing while the database answers: given up");
        }
        failures.delete(update.update_id);
        metrics.updateFinished("failed", seconds());
        try {
          await bot.errorHandler(error);
        } catch (handlerError) {
          logger.error({ err: handlerError, updateId: update.update_id }, "error handler failed");
        }
        return "done";
      }
    },
  };
}

export type DatabaseState = "up" | "down";

/** `select 1` within `timeoutMs`: what /healthz reports and what tells an outage from a poisoned update. */
export async function checkDatabase(services: Pick<AppServices, "db">, timeoutMs = 2_000): Promise<DatabaseState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseState>((resolve) => {
    timer = setTimeout(() => resolve("down"), timeoutMs);
  });
  const query = sql`select 1`.execute(services.db).then(
    (): DatabaseState => "up",
    (): DatabaseState => "down",
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
