import type { Filter } from "grammy";
import type { BotContext } from "../../context.js";
import { WIPE_WINDOW_SECONDS } from "../../middleware/wipe-marks.js";

const BATCH = 100;
/** However long the chat, /wipe sends at most this many requests; the rest is left to deleting the chat. */
const MAX_BATCHES = 100;

export interface WipePlan {
  from: number;
  to: number;
  /** Some of the chat is older than Telegram lets a bot delete. */
  olderRemain: boolean;
}

/**
 * The id range to delete: from just after the newest mark that fell out of the 48-hour window, or from the
 * chat's first message when none did, up to the /wipe message. Ids in a private chat count every message of
 * both sides, so the range holds the bot's messages and the person's alike; Telegram skips ids that are gone
 * or too old.
 */
export function planWipe(marks: [number, number][], wipeMessageId: number, now: number): WipePlan {
  const cutoff = now - WIPE_WINDOW_SECONDS;
  const newestExpired = marks.filter(([, at]) => at < cutoff).at(-1);
  const wanted = newestExpired ? Math.min(newestExpired[0] + 1, wipeMessageId) : 1;
  const from = Math.max(wanted, wipeMessageId - BATCH * MAX_BATCHES + 1);
  return { from, to: wipeMessageId, olderRemain: newestExpired !== undefined || from > wanted };
}

export function batches(from: number, to: number): number[][] {
  const result: number[][] = [];
  for (let start = from; start <= to; start += BATCH) {
    const batch: number[] = [];
    for (let id = start; id <= Math.min(to, start + BATCH - 1); id++) batch.push(id);
    result.push(batch);
  }
  return result;
}

export async function wipeChat(ctx: Filter<BotContext, "message">): Promise<void> {
  const chatId = ctx.chat.id;
  const plan = planWipe(ctx.session.wipeMarks ?? [], ctx.message.message_id, ctx.message.date);
  let failed = 0;
  for (const ids of batches(plan.from, plan.to)) {
    try {
      await ctx.api.deleteMessages(chatId, ids);
    } catch (error) {
      failed += ids.length;
      ctx.app.logger.warn({ err: error, reporter: ctx.pseudonym, count: ids.length }, "wipe batch refused");
    }
  }
  // The next /wipe starts after this one: what lies before is deleted or out of reach.
  ctx.session.wipeMarks = [[plan.to, ctx.message.date]];
  ctx.app.logger.info({ reporter: ctx.pseudonym, messages: plan.to - plan.from + 1, failed }, "chat wiped");
  const parts = [ctx.t("reporter-wipe-done")];
  if (plan.olderRemain || failed > 0) parts.push(ctx.t("reporter-wipe-older"));
  parts.push(ctx.t("reporter-wipe-how"));
  await ctx.api.sendMessage(chatId, parts.join("\n\n"));
}
