import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";

export const WIPE_WINDOW_SECONDS = 48 * 3600;
const MARK_EVERY_SECONDS = 3600;

/**
 * Keeps hourly message-id marks of a private chat (see SessionData.wipeMarks). Marks older than the
 * window are dropped except the newest of them, which still bounds the range from below.
 */
export const recordWipeMarks: MiddlewareFn<BotContext> = async (ctx, next) => {
  const message = ctx.message ?? ctx.editedMessage;
  if (ctx.chat?.type === "private" && message) {
    const marks = ctx.session.wipeMarks ?? [];
    const last = marks.at(-1);
    if (!last || message.date - last[1] >= MARK_EVERY_SECONDS) {
      const cutoff = message.date - WIPE_WINDOW_SECONDS;
      const fresh = marks.filter(([, at]) => at >= cutoff);
      const newestExpired = marks.filter(([, at]) => at < cutoff).at(-1);
      ctx.session.wipeMarks = [...(newestExpired ? [newestExpired] : []), ...fresh, [message.message_id, message.date]];
    }
  }
  await next();
};
