import type { I18n } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { locales, type Locale } from "../../../db/types.js";
import { setReporterLocale } from "../../../db/reporters.js";
import type { BotContext } from "../../context.js";

export const START_REPORT_DATA = "intake:new";
const LANGUAGE_PREFIX = "language:";

const languageNames: Record<Locale, string> = { uk: "Українська", en: "English" };

export function languageKeyboard(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const locale of locales) keyboard.text(languageNames[locale], `${LANGUAGE_PREFIX}${locale}`);
  return keyboard;
}

export function basicsFeature(i18n: I18n<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");

  privateChat.command("start", (ctx) =>
    ctx.reply(ctx.t("basics-welcome"), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("basics-start-report"), START_REPORT_DATA)
        .row()
        .text(ctx.t("basics-privacy-button"), "basics:privacy")
        .text(ctx.t("basics-language-button"), "basics:language"),
    }),
  );
  privateChat.command("help", (ctx) => ctx.reply(ctx.t("basics-help")));
  privateChat.command("privacy", (ctx) => ctx.reply(ctx.t("basics-privacy")));
  privateChat.callbackQuery("basics:privacy", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("basics-privacy"));
  });
  privateChat.command("language", (ctx) => ctx.reply(ctx.t("basics-language-choose"), { reply_markup: languageKeyboard() }));
  privateChat.callbackQuery("basics:language", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("basics-language-choose"), { reply_markup: languageKeyboard() });
  });
  privateChat.callbackQuery(new RegExp(`^${LANGUAGE_PREFIX}(uk|en)$`), async (ctx) => {
    const locale = ctx.match[1] as Locale;
    ctx.session.locale = locale;
    ctx.locale = locale;
    if (ctx.pseudonym) await setReporterLocale(ctx.app.db, ctx.pseudonym, locale);
    await ctx.answerCallbackQuery();
    await ctx.reply(i18n.t(locale, "basics-language-set"));
  });
  return composer;
}

export function commandList(i18n: I18n<BotContext>, locale: Locale) {
  return (["new", "mycases", "help", "privacy", "language", "cancel", "wipe", "deletemydata"] as const).map((command) => ({
    command,
    description: i18n.t(locale, `basics-command-${command}`),
  }));
}
