import type { MiddlewareFn } from "grammy";
import { noteOutcome } from "../../server/update-outcome.js";
import type { BotContext } from "../context.js";

// Telegram keeps an unconfirmed update for at most a day, so an older id cannot come back; and after a week
// without updates Telegram may restart ids at random, which the age limit keeps from looking like a repeat.
const REMEMBER_SECONDS = 24 * 60 * 60;
// Enough for the updates of one chat that can be in flight at once (an album is ten) and arrive out of order.
const REMEMBER_COUNT = 32;

/**
 * Skips an update this chat has already handled. The handled ids are kept in the session row, which is written
 * only when the handler finished, in the same statement as the conversation state: "this update took effect"
 * and "it is marked handled" are saved together or not at all. Ids, not a high-water mark, because two
 * processes may take a chat's updates out of order, and a lower id arriving late is new, not a repeat.
 * Must run after the session and the chat lock.
 */
export const skipRedeliveredUpdates: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.chat === undefined && ctx.from === undefined) return next();
  const id = ctx.update.update_id;
  const now = Math.floor(Date.now() / 1000);
  const recent = (ctx.session.recentUpdates ?? []).filter(([, at]) => now - at < REMEMBER_SECONDS);
  if (recent.some(([seen]) => seen === id)) {
    ctx.app.logger.info({ updateId: id, reporter: ctx.pseudonym }, "update delivered again: already handled, skipped");
    noteOutcome(ctx.update, "redelivered");
    return;
  }
  recent.push([id, now]);
  ctx.session.recentUpdates = recent.slice(-REMEMBER_COUNT);
  await next();
};
