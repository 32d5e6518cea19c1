import type { I18n } from "@grammyjs/i18n";
import type { BotError } from "grammy";
import type { Logger } from "../logger.js";
import { isTransientDatabaseError } from "../server/database-errors.js";
import type { AppServices, BotContext } from "./context.js";
import { localeFromLanguageCode } from "./i18n.js";

/**
 * The person learns that something failed and that nothing they entered is lost (answers and photos are
 * saved as they arrive); the operator gets the error without any of the person's words or ids.
 */
export function createErrorHandler(i18n: I18n<BotContext>, logger: Logger, options: { rethrowTransient?: boolean } = {}) {
  return async (error: BotError<BotContext>) => {
    // Not this update's fault: passed on so the update is kept and handled again once the database is back.
    if (options.rethrowTransient && isTransientDatabaseError(error.error)) throw error.error;
    const ctx = error.ctx;
    (ctx.app as AppServices | undefined)?.metrics.handlerError();
    logger.error(
      { err: error.error, updateId: ctx.update.update_id, reporter: ctx.pseudonym },
      "handler failed",
    );
    if (!ctx.chat) return;
    const locale = ctx.locale ?? localeFromLanguageCode(ctx.from?.language_code, "uk");
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      await ctx.api.sendMessage(ctx.chat.id, i18n.t(locale, "error-generic"));
    } catch (replyError) {
      logger.warn({ err: replyError, updateId: ctx.update.update_id }, "could not tell the person about a failure");
    }
  };
}
