import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.js";
import { localeFromLanguageCode } from "../i18n.js";

/** The first contact fixes the language from the Telegram app; /language changes it later. */
export const chooseLocale: MiddlewareFn<BotContext> = async (ctx, next) => {
  const session = ctx.chat?.type === "private" ? ctx.session : undefined;
  if (session?.locale) {
    ctx.locale = session.locale;
  } else {
    ctx.locale = localeFromLanguageCode(ctx.from?.language_code, ctx.app.config.defaultLocale);
    if (session) session.locale = ctx.locale;
  }
  await next();
};
