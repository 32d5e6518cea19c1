import type { I18n } from "@grammyjs/i18n";
import { limit } from "@grammyjs/ratelimiter";
import type { MiddlewareFn } from "grammy";
import { noteOutcome } from "../../server/update-outcome.js";
import type { BotContext } from "../context.js";
import { localeFromLanguageCode } from "../i18n.js";

export interface AbuseLimits {
  /** Updates one person may send within `windowMs`; an album of ten photos is ten updates. */
  updatesPerWindow: number;
  windowMs: number;
  /** Longest message text and caption taken in; Telegram's own limits, so only a forged update exceeds them. */
  maxTextLength: number;
  maxCaptionLength: number;
  /** Largest update as serialised JSON (UTF-16 units); a real one is a few kilobytes. */
  maxUpdateLength: number;
}

export const defaultAbuseLimits: AbuseLimits = {
  updatesPerWindow: 40,
  windowMs: 30_000,
  maxTextLength: 4096,
  maxCaptionLength: 1024,
  maxUpdateLength: 64 * 1024,
};

function senderLocale(ctx: BotContext) {
  return localeFromLanguageCode(ctx.from?.language_code, ctx.app.config.defaultLocale);
}

async function tell(ctx: BotContext, text: string): Promise<void> {
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
  } catch (error) {
    ctx.app.logger.warn({ err: error, updateId: ctx.update.update_id }, "could not tell the person their message was refused");
  }
}

/**
 * Refuses, before any database work, an update no Telegram client sends: longer texts than Telegram allows or
 * an oversized whole. The person is told, in their app's language since the session is not read yet.
 */
export function refuseOversizedUpdates(i18n: I18n<BotContext>, limits: AbuseLimits = defaultAbuseLimits): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const message = ctx.message ?? ctx.editedMessage;
    const tooLong =
      (message?.text !== undefined && message.text.length > limits.maxTextLength) ||
      (message?.caption !== undefined && message.caption.length > limits.maxCaptionLength);
    if (!tooLong && JSON.stringify(ctx.update).length <= limits.maxUpdateLength) return next();
    ctx.app.logger.warn({ updateId: ctx.update.update_id, reporter: ctx.pseudonym }, "oversized update refused");
    noteOutcome(ctx.update, "refused");
    await tell(ctx, i18n.t(senderLocale(ctx), "reliability-too-long", { max: limits.maxTextLength }));
  };
}

/**
 * A per-person flood limit. Counted in each process's memory: with several processes behind a load balancer a
 * person may send up to that many times the limit, which still stops a flood without a database write per
 * update. The person is told once per window, not for every refused update.
 */
export function rateLimitPerUser(i18n: I18n<BotContext>, limits: AbuseLimits = defaultAbuseLimits): MiddlewareFn<BotContext> {
  const limiter = limit<BotContext, never>({
    timeFrame: limits.windowMs,
    limit: limits.updatesPerWindow,
    keyGenerator: (ctx) => ctx.from?.id.toString(),
    onLimitExceeded: async (ctx) => {
      ctx.app.logger.warn({ reporter: ctx.pseudonym }, "rate limit reached");
      await tell(ctx, i18n.t(senderLocale(ctx), "reliability-rate-limited", { seconds: Math.ceil(limits.windowMs / 1000) }));
    },
  });
  return async (ctx, next) => {
    let passed = false;
    await limiter(ctx, async () => {
      passed = true;
      await next();
    });
    if (!passed) noteOutcome(ctx.update, "refused");
  };
}
