import { createCallbackData } from "callback-data";
import { Composer, InlineKeyboard } from "grammy";
import { eraseReporter, previewErasure } from "../../../privacy/erasure.js";
import type { BotContext } from "../../context.js";

const eraseData = createCallbackData("erasure", { answer: String });

/** The bot_storage row of a chat's session: the storage prefixes the pseudonym of the chat id (see create-bot). */
function sessionStorageKey(ctx: BotContext): string {
  return `session:${ctx.app.pseudonymize(String(ctx.chat!.id))}`;
}

/** Nothing of the session survives: its conversations may hold the person's words, its row is keyed by them. */
async function forgetSession(ctx: BotContext): Promise<void> {
  await ctx.conversation.exitAll();
  ctx.session = null as unknown as BotContext["session"];
}

/**
 * /deletemydata: after a confirmation that says exactly what will happen, erases what links the person to their
 * reports (see eraseReporter). Runs before the report's questions, so it works in the middle of a report.
 */
export function erasureFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");

  privateChat.command("deletemydata", async (ctx) => {
    const preview = await previewErasure(ctx.app.db, ctx.pseudonym!);
    if (!preview.known) {
      await forgetSession(ctx);
      await ctx.reply(ctx.t("erasure-nothing"));
      return;
    }
    const lines = [ctx.t("erasure-confirm-intro")];
    if (preview.toWithdraw > 0) lines.push(ctx.t("erasure-confirm-withdraw", { count: preview.toWithdraw }));
    if (preview.toKeep > 0) lines.push(ctx.t("erasure-confirm-keep", { count: preview.toKeep }));
    if (preview.draft) lines.push(ctx.t("erasure-confirm-draft"));
    lines.push(ctx.t("erasure-confirm-final"));
    await ctx.reply(lines.join("\n"), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("erasure-yes"), eraseData.pack({ answer: "yes" }))
        .row()
        .text(ctx.t("erasure-no"), eraseData.pack({ answer: "no" })),
    });
  });

  privateChat.callbackQuery(eraseData.filter(), async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    // The question is answered: its buttons go, so it cannot be answered twice.
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const { answer } = eraseData.unpack(ctx.callbackQuery.data);
    if (answer !== "yes") {
      await ctx.reply(ctx.t("erasure-kept"));
      return;
    }
    const result = await eraseReporter(ctx.app.db, ctx.pseudonym!, { sessionKey: sessionStorageKey(ctx) });
    await forgetSession(ctx);
    // Counts only: a pseudonym here would tie this line to the person's earlier ones.
    ctx.app.logger.info(
      { withdrawn: result.withdrawn.length, kept: result.kept.length, photos: result.photosDeleted, drafts: result.drafts },
      "a reporter erased their data",
    );
    if (!result.found) {
      await ctx.reply(ctx.t("erasure-nothing"));
      return;
    }
    const lines = [ctx.t("erasure-done-intro")];
    if (result.withdrawn.length > 0) lines.push(ctx.t("erasure-done-withdrawn", { count: result.withdrawn.length }));
    if (result.kept.length > 0) lines.push(ctx.t("erasure-done-kept", { count: result.kept.length }));
    lines.push(ctx.t("erasure-done-outro"));
    await ctx.reply(lines.join("\n\n"));
  });
  return composer;
}
