import { Composer } from "grammy";
import type { BotContext } from "../../context.js";

/**
 * Must be the last feature. Staff commands fall through to here for anyone not authorised, so the reply to
 * a staff command and to a made-up one is the same and reveals nothing.
 */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("message:text", async (ctx) => {
  const isCommand = ctx.message.entities?.some((e) => e.type === "bot_command" && e.offset === 0);
  if (isCommand) {
    await ctx.reply(ctx.t("unhandled-unknown-command"));
  } else if (ctx.chat.type === "private") {
    await ctx.reply(ctx.t("unhandled-hint"));
  }
});

unhandledFeature.on("message", async (ctx) => {
  if (ctx.chat.type === "private") await ctx.reply(ctx.t("unhandled-hint"));
});

unhandledFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("unhandled-stale-button") }));
