import { Composer, InlineKeyboard } from "grammy";
import { createCallbackData } from "callback-data";
import { normalizeCaseRef } from "../../../cases/reference.js";
import { withdrawCase } from "../../../cases/withdraw.js";
import { canWithdraw } from "../../../cases/withdraw.js";
import { countReporterCases, findReporterCase, listReporterCases, type ReporterCaseSummary } from "../../../db/cases.js";
import type { BotContext } from "../../context.js";
import { formatIncidentDate } from "../intake/review.js";
import { wipeChat } from "./wipe.js";

const MY_CASES_LIMIT = 20;
const withdrawData = createCallbackData("withdraw", { answer: String, ref: String });

function formatDay(date: Date): string {
  const d = date.toISOString().slice(0, 10).split("-");
  return `${d[2]}.${d[1]}.${d[0]}`;
}

function caseLine(ctx: BotContext, c: ReporterCaseSummary): string {
  return ctx.t("reporter-case-line", {
    ref: c.ref,
    status: ctx.t(`reporter-status-${c.status}`),
    submitted: formatDay(c.submitted_at),
    items: c.item_count,
  });
}

function caseDetails(ctx: BotContext, c: ReporterCaseSummary): string {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.t(key, vars);
  return ctx.t("reporter-status-details", {
    ref: c.ref,
    status: ctx.t(`reporter-status-${c.status}`),
    explanation: ctx.t(`reporter-status-explain-${c.status}`),
    submitted: formatDay(c.submitted_at),
    role: ctx.t(`intake-role-${c.role}`),
    region: c.region ? ctx.t(`intake-region-${c.region}`) : "—",
    date: formatIncidentDate(t, c.incident_date, c.incident_date_precision),
    items: c.item_count,
    photos: c.photo_count,
  });
}

/** The argument of `/status REF`: the reference alone, however the person typed it. */
function refArgument(match: string): string | undefined {
  const text = match.trim();
  return text ? normalizeCaseRef(text) : undefined;
}

/** The reporter's own commands: their cases, one case's status, withdrawing a case, wiping the chat. */
export function reporterFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");

  privateChat.command("mycases", async (ctx) => {
    const cases = ctx.pseudonym ? await listReporterCases(ctx.app.db, ctx.pseudonym, MY_CASES_LIMIT) : [];
    if (cases.length === 0) {
      await ctx.reply(ctx.t("reporter-mycases-none"));
      return;
    }
    const total = await countReporterCases(ctx.app.db, ctx.pseudonym!);
    const lines = cases.map((c) => caseLine(ctx, c));
    const more = total > cases.length ? `\n\n${ctx.t("reporter-mycases-more", { shown: cases.length, total })}` : "";
    await ctx.reply(`${ctx.t("reporter-mycases-title", { count: total })}\n\n${lines.join("\n")}${more}\n\n${ctx.t("reporter-mycases-hint")}`);
  });

  privateChat.command("status", async (ctx) => {
    const ref = refArgument(ctx.match);
    if (!ref) {
      await ctx.reply(ctx.t("reporter-status-usage"));
      return;
    }
    const found = ctx.pseudonym ? await findReporterCase(ctx.app.db, ctx.pseudonym, ref) : undefined;
    await ctx.reply(found ? caseDetails(ctx, found) : ctx.t("reporter-not-found", { ref }));
  });

  privateChat.command("withdraw", async (ctx) => {
    const ref = refArgument(ctx.match);
    if (!ref) {
      await ctx.reply(ctx.t("reporter-withdraw-usage"));
      return;
    }
    const found = ctx.pseudonym ? await findReporterCase(ctx.app.db, ctx.pseudonym, ref) : undefined;
    if (!found) {
      await ctx.reply(ctx.t("reporter-not-found", { ref }));
      return;
    }
    if (!canWithdraw(found.status)) {
      await ctx.reply(ctx.t("reporter-withdraw-not-allowed", { ref, status: ctx.t(`reporter-status-${found.status}`) }));
      return;
    }
    await ctx.reply(ctx.t("reporter-withdraw-confirm", { ref }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("reporter-withdraw-yes"), withdrawData.pack({ answer: "yes", ref }))
        .text(ctx.t("reporter-withdraw-no"), withdrawData.pack({ answer: "no", ref })),
    });
  });

  privateChat.callbackQuery(withdrawData.filter(), async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    const { answer, ref: raw } = withdrawData.unpack(ctx.callbackQuery.data);
    const ref = normalizeCaseRef(raw);
    if (answer !== "yes" || !ref || !ctx.pseudonym) {
      await ctx.reply(ctx.t("reporter-withdraw-kept"));
      return;
    }
    const result = await withdrawCase(ctx.app.db, ctx.pseudonym, ref);
    switch (result.kind) {
      case "withdrawn":
        ctx.app.logger.info({ reporter: ctx.pseudonym, caseId: result.caseId }, "case withdrawn by reporter");
        await ctx.reply(ctx.t("reporter-withdraw-done", { ref }));
        break;
      case "not_found":
        await ctx.reply(ctx.t("reporter-not-found", { ref }));
        break;
      case "not_allowed":
        await ctx.reply(ctx.t("reporter-withdraw-not-allowed", { ref, status: ctx.t(`reporter-status-${result.status}`) }));
        break;
    }
  });

  privateChat.command("wipe", wipeChat);
  return composer;
}
