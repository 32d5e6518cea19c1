import type { I18n } from "@grammyjs/i18n";
import { Composer, InlineKeyboard } from "grammy";
import { activeHolder, getCase, resolveRef, textLimits, viewCase } from "../../../cases/moderation.js";
import { normalizeCaseRef } from "../../../cases/reference.js";
import { CaseError } from "../../../cases/transitions.js";
import { caseStats, findCases, queuePage } from "../../../db/moderation-queries.js";
import { closePrompt, findOpenPrompt } from "../../../db/moderation-state.js";
import { displayNames } from "../../../db/staff.js";
import { caseStatuses, type CaseStatus, type PromptAction, type Staff } from "../../../db/types.js";
import type { BotContext } from "../../context.js";
import { type ActionRequest, buttonResponder, commandResponder, type StaffAction, StaffActions } from "./actions.js";
import { authorize } from "./authorize.js";
import {
  caseButtonPattern,
  openStatuses,
  packCaseButton,
  packQueueButton,
  type QueueFilter,
  queueButtonPattern,
  unpackCaseButton,
  unpackQueueButton,
} from "./callback-data.js";
import { formatTime, regionLabel, splitMessages, staffName, statusLabel } from "./card.js";
import type { ModerationDesk } from "./desk.js";
import { reporterAnswers } from "./reporter-answers.js";

const QUEUE_PAGE_SIZE = 10;
const FIND_LIMIT = 20;
const FIND_MIN_LENGTH = 3;
/** A prompt nobody answered within this time is stale: the moderator starts again from the card. */
const PROMPT_TTL_MS = 12 * 3600_000;

/** Staff commands, as the moderator types them; every one goes through `authorize`. */
export const staffCommands = ["queue", "case", "take", "verify", "reject", "duplicate", "needinfo", "note", "find", "stats"] as const;

const textActions: Record<"reject" | "duplicate" | "needinfo" | "note", PromptAction> = {
  reject: "reject",
  duplicate: "mark_duplicate",
  needinfo: "request_info",
  note: "note",
};

function splitArgs(args: string): [string, string] {
  const trimmed = args.trim();
  const space = trimmed.search(/\s/);
  return space === -1 ? [trimmed, ""] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}

const promptLimits: Record<PromptAction, number> = {
  reject: textLimits.reason,
  request_info: textLimits.question,
  note: textLimits.note,
  mark_duplicate: 40,
};

export function moderationFeature(desk: ModerationDesk, i18n: I18n<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const actions = new StaffActions(desk, i18n);

  /** A staff command: anyone not authorised falls through to the reply every unknown command gets. */
  const staffCommand = (name: string, handler: (ctx: BotContext, staff: Staff, args: string) => Promise<unknown>) =>
    composer.command(name, async (ctx, next) => {
      const staff = await authorize(ctx, "moderator");
      if (!staff) return next();
      await handler(ctx, staff, typeof ctx.match === "string" ? ctx.match : "");
    });

  const withCase = async (ctx: BotContext, typedRef: string, usage: string, run: (caseId: string) => Promise<void>) => {
    if (!typedRef) {
      await ctx.reply(ctx.t(usage));
      return;
    }
    let caseId: string;
    try {
      caseId = (await resolveRef(ctx.app.db, typedRef)).id;
    } catch (error) {
      if (!(error instanceof CaseError)) throw error;
      await ctx.reply(ctx.t("moderation-error-CaseNotFound", { ref: normalizeCaseRef(typedRef) ?? typedRef.slice(0, 20) }));
      return;
    }
    await run(caseId);
  };

  const openCase = async (ctx: BotContext, staff: Staff, caseId: string) => {
    const { events } = await viewCase(
      { db: ctx.app.db, takeTimeoutHours: ctx.app.config.takeTimeoutHours },
      { caseId, actorId: staff.user_id },
    );
    await desk.sendCaseView(ctx.chat!.id, caseId, ctx.locale, events);
  };

  // Staff see what they can do on top of the reporters' help; anyone else sees exactly what they saw before.
  composer.command("help", async (ctx, next) => {
    const staff = await authorize(ctx, "moderator");
    if (!staff) return next();
    const text = [ctx.t("moderation-help"), ...(staff.role === "admin" ? [ctx.t("admin-help")] : [])].join("\n\n");
    await ctx.reply(text);
    if (ctx.chat?.type === "private") await next();
  });

  staffCommand("case", (ctx, staff, args) =>
    withCase(ctx, splitArgs(args)[0], "moderation-usage-case", (caseId) => openCase(ctx, staff, caseId)),
  );

  for (const name of ["take", "verify"] as const) {
    staffCommand(name, (ctx, staff, args) =>
      withCase(ctx, splitArgs(args)[0], `moderation-usage-${name}`, (caseId) =>
        actions.run(ctx, staff, { action: name, caseId, takeover: false }, commandResponder(ctx)),
      ),
    );
  }

  for (const [name, action] of Object.entries(textActions)) {
    staffCommand(name, (ctx, staff, args) => {
      const [ref, rest] = splitArgs(args);
      const text = action === "mark_duplicate" ? splitArgs(rest)[0] : rest;
      return withCase(ctx, ref, `moderation-usage-${name}`, (caseId) =>
        actions.run(ctx, staff, { action, caseId, takeover: false, text: text || undefined }, commandResponder(ctx)),
      );
    });
  }

  staffCommand("queue", async (ctx, _staff, args) => {
    const wanted = splitArgs(args)[0].toLowerCase();
    const filter = wanted === "" ? "open" : wanted;
    if (filter !== "open" && !(caseStatuses as readonly string[]).includes(filter)) {
      await ctx.reply(ctx.t("moderation-usage-queue", { statuses: ["open", ...caseStatuses].join(", ") }));
      return;
    }
    const page = await renderQueue(ctx, filter as QueueFilter, 0);
    await ctx.reply(page.text, { reply_markup: page.keyboard });
  });

  staffCommand("find", async (ctx, _staff, args) => {
    const text = args.trim();
    if (text.length < FIND_MIN_LENGTH || text.length > 100) {
      await ctx.reply(ctx.t("moderation-usage-find", { min: FIND_MIN_LENGTH }));
      return;
    }
    const found = await findCases(ctx.app.db, text, FIND_LIMIT);
    if (found.length === 0) {
      await ctx.reply(ctx.t("moderation-find-none"));
      return;
    }
    const lines = found.map((f) => {
      const snippet = f.matched.length > 80 ? `${f.matched.slice(0, 79)}…` : f.matched;
      return `${f.ref} · ${statusLabel(ctx.t, f.status)} · ${regionLabel(ctx.t, f.region) ?? "—"}\n   ${snippet}`;
    });
    const keyboard = new InlineKeyboard();
    found.forEach((f, i) => {
      keyboard.text(f.ref, packCaseButton({ action: "details", caseId: f.id }));
      if (i % 2 === 1) keyboard.row();
    });
    const parts = splitMessages([ctx.t("moderation-find-title", { count: found.length }), ...lines]);
    for (const [i, part] of parts.entries()) {
      await ctx.reply(part, i === parts.length - 1 ? { reply_markup: keyboard } : {});
    }
  });

  staffCommand("stats", async (ctx) => {
    const stats = await caseStats(ctx.app.db, 12);
    const lines = [ctx.t("moderation-stats-title", { total: stats.total }), "", ctx.t("moderation-stats-by-status")];
    for (const s of stats.byStatus) lines.push(`  ${statusLabel(ctx.t, s.status)}: ${s.count}`);
    lines.push("", ctx.t("moderation-stats-by-region"));
    for (const r of stats.byRegion) lines.push(`  ${regionLabel(ctx.t, r.region) ?? ctx.t("moderation-stats-no-region")}: ${r.count}`);
    lines.push("", ctx.t("moderation-stats-by-week"));
    for (const w of stats.byWeek) lines.push(`  ${w.weekStart}: ${w.count}`);
    lines.push("", ctx.t("moderation-stats-by-category"));
    for (const c of stats.byCategory) {
      lines.push(`  ${ctx.t(`moderation-category-${c.category}`)}: ${ctx.t("moderation-stats-category-line", { cases: c.cases, items: c.items })}`);
    }
    lines.push(
      "",
      stats.medianFirstActionSeconds === null
        ? ctx.t("moderation-stats-median-none")
        : ctx.t("moderation-stats-median", { duration: formatDuration(ctx, stats.medianFirstActionSeconds) }),
      ctx.t("moderation-stats-waiting", { count: stats.awaitingFirstAction }),
    );
    for (const part of splitMessages(lines)) await ctx.reply(part);
  });

  async function renderQueue(ctx: BotContext, filter: QueueFilter, offset: number) {
    const statuses: readonly CaseStatus[] = filter === "open" ? openStatuses : [filter];
    const page = await queuePage(ctx.app.db, statuses, offset, QUEUE_PAGE_SIZE);
    const now = new Date();
    const holders = new Map(page.cases.map((c) => [c.id, activeHolder(c, now, ctx.app.config.takeTimeoutHours)]));
    const names = await displayNames(ctx.app.db, [...holders.values()].filter((h): h is number => h !== undefined));
    const label = filter === "open" ? ctx.t("moderation-queue-open") : statusLabel(ctx.t, filter);
    const lines = [
      page.total === 0
        ? ctx.t("moderation-queue-empty", { filter: label })
        : ctx.t("moderation-queue-title", { filter: label, total: page.total, from: offset + 1, to: offset + page.cases.length }),
    ];
    for (const c of page.cases) {
      const holder = holders.get(c.id);
      lines.push(
        [
          c.ref,
          statusLabel(ctx.t, c.status),
          regionLabel(ctx.t, c.region) ?? "—",
          formatTime(c.submitted_at, ctx.locale),
          ...(holder !== undefined ? [ctx.t("moderation-queue-held", { name: staffName(names, holder) })] : []),
        ].join(" · "),
      );
    }
    const keyboard = new InlineKeyboard();
    page.cases.forEach((c, i) => {
      keyboard.text(c.ref, packCaseButton({ action: "details", caseId: c.id }));
      if (i % 2 === 1) keyboard.row();
    });
    keyboard.row();
    if (offset > 0) keyboard.text("◀", packQueueButton({ filter, offset: Math.max(0, offset - QUEUE_PAGE_SIZE) }));
    if (offset + page.cases.length < page.total) keyboard.text("▶", packQueueButton({ filter, offset: offset + QUEUE_PAGE_SIZE }));
    keyboard.row();
    for (const f of ["open", "new", "in_review", "needs_info"] as const) {
      if (f !== filter) keyboard.text(f === "open" ? ctx.t("moderation-queue-open") : statusLabel(ctx.t, f), packQueueButton({ filter: f, offset: 0 }));
    }
    return { text: splitMessages(lines)[0]!, keyboard };
  }

  composer.callbackQuery(queueButtonPattern, async (ctx, next) => {
    const button = unpackQueueButton(ctx.callbackQuery.data);
    if (!button) return next();
    const staff = await authorize(ctx, "moderator");
    if (!staff) return next();
    const page = await renderQueue(ctx, button.filter, button.offset);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(page.text, { reply_markup: page.keyboard }).catch((error: unknown) => {
      if (!(error instanceof Error && /not modified/i.test(error.message))) throw error;
    });
  });

  composer.callbackQuery(caseButtonPattern, async (ctx, next) => {
    const button = unpackCaseButton(ctx.callbackQuery.data);
    if (!button) return next();
    const staff = await authorize(ctx, "moderator");
    if (!staff) return next();
    const message = ctx.callbackQuery.message;
    const respond = buttonResponder(ctx);
    switch (button.action) {
      case "details": {
        try {
          await getCase(ctx.app.db, button.caseId);
        } catch (error) {
          await actions.explain(ctx, error, { action: "take", caseId: button.caseId, takeover: false }, respond);
          return;
        }
        await ctx.answerCallbackQuery();
        await openCase(ctx, staff, button.caseId);
        return;
      }
      case "dismiss":
        await ctx.answerCallbackQuery();
        if (message) await ctx.editMessageReplyMarkup().catch(() => undefined);
        return;
      default: {
        const takeover = button.action.startsWith("takeover_");
        const action = (takeover ? button.action.slice("takeover_".length) : button.action) as StaffAction;
        const request: ActionRequest = {
          action,
          caseId: button.caseId,
          takeover,
          // A takeover is confirmed on a message of its own: that one loses its buttons, only real cards are redrawn.
          origin: !takeover && message ? { chatId: message.chat.id, messageId: message.message_id } : undefined,
        };
        if (takeover && message) await ctx.editMessageReplyMarkup().catch(() => undefined);
        await actions.run(ctx, staff, request, respond);
      }
    }
  });

  // The reply to a prompt (the reason of a rejection, the question for the reporter...), from the moderator asked.
  composer.on("message", async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message;
    if (!replyTo || replyTo.from?.id !== ctx.me.id) return next();
    const text = ctx.message.text;
    if (text?.startsWith("/")) return next();
    const staff = await authorize(ctx, "moderator");
    if (!staff) return next();
    const prompt = await findOpenPrompt(ctx.app.db, ctx.chat.id, replyTo.message_id, staff.user_id, PROMPT_TTL_MS);
    if (!prompt) return next();
    const answer = text?.trim() ?? "";
    if (answer === "" || answer.length > promptLimits[prompt.action]) {
      await ctx.reply(ctx.t("moderation-prompt-invalid", { limit: promptLimits[prompt.action] }), {
        reply_parameters: { message_id: ctx.message.message_id },
      });
      return;
    }
    // Closed before acting: a redelivered reply finds it closed and cannot act twice.
    if (!(await closePrompt(ctx.app.db, prompt.id))) return;
    await actions.run(
      ctx,
      staff,
      { action: prompt.action, caseId: prompt.caseId, takeover: prompt.takeover, text: answer },
      commandResponder(ctx),
    );
  });

  composer.use(reporterAnswers(desk, i18n));
  return composer;
}

function formatDuration(ctx: BotContext, seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return ctx.t("moderation-duration-minutes", { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return ctx.t("moderation-duration-hours", { hours, minutes: minutes % 60 });
  return ctx.t("moderation-duration-days", { days: Math.floor(hours / 24), hours: hours % 24 });
}
