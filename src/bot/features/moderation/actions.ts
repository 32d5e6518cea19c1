import type { I18n } from "@grammyjs/i18n";
import { GrammyError, InlineKeyboard } from "grammy";
import {
  type ActionResult,
  addNote,
  checkBeforeText,
  type InfoRequestResult,
  getCase,
  markDuplicate,
  markInfoUndelivered,
  type ModerationDeps,
  rejectCase,
  reporterContactOf,
  requestInfo,
  takeCase,
  verifyCase,
} from "../../../cases/moderation.js";
import { CaseError } from "../../../cases/transitions.js";
import { recordQuestionMessage, savePrompt } from "../../../db/moderation-state.js";
import type { ReporterContact } from "../../../db/moderation-queries.js";
import { displayNames } from "../../../db/staff.js";
import type { Case, PromptAction, Staff } from "../../../db/types.js";
import { openContact } from "../../../privacy/contact-cipher.js";
import type { BotContext } from "../../context.js";
import { translator } from "../../i18n.js";
import { type CaseAction, packCaseButton } from "./callback-data.js";
import { formatTime, staffName, statusLabel } from "./card.js";
import type { ModerationDesk } from "./desk.js";

export type StaffAction = "take" | "verify" | PromptAction;

type Applied = ActionResult | InfoRequestResult;

const takeoverOf: Record<Exclude<StaffAction, "note">, CaseAction> = {
  take: "takeover_take",
  verify: "takeover_verify",
  reject: "takeover_reject",
  request_info: "takeover_request_info",
  mark_duplicate: "takeover_mark_duplicate",
};

export interface ActionRequest {
  action: StaffAction;
  caseId: string;
  takeover: boolean;
  /** The reason, question, note or original reference; undefined asks for it. */
  text?: string | undefined;
  /** A copy of the card the action was started from (a button press), edited along with the group's. */
  origin?: { chatId: number; messageId: number } | undefined;
}

/** How the moderator hears back: a toast for a button press, a message for a command or a reply. */
export interface Responder {
  done(text: string): Promise<void>;
  refuse(text: string): Promise<void>;
}

export function commandResponder(ctx: BotContext): Responder {
  const reply = (text: string) =>
    ctx
      .reply(text, {
        ...(ctx.message ? { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } } : {}),
      })
      .then(() => undefined);
  return { done: reply, refuse: reply };
}

export function buttonResponder(ctx: BotContext): Responder {
  return {
    done: (text) => ctx.answerCallbackQuery({ text: text.slice(0, 200) }).then(() => undefined),
    refuse: (text) => ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true }).then(() => undefined),
  };
}

export class StaffActions {
  constructor(
    private readonly desk: ModerationDesk,
    private readonly i18n: I18n<BotContext>,
  ) {}

  private deps(ctx: BotContext): ModerationDeps {
    return { db: ctx.app.db, takeTimeoutHours: ctx.app.config.takeTimeoutHours };
  }

  /** A domain refusal in the moderator's words; HeldByAnother becomes a question instead. */
  async explain(ctx: BotContext, error: unknown, request: ActionRequest, respond: Responder): Promise<void> {
    if (!(error instanceof CaseError)) throw error;
    if (error.code === "HeldByAnother" && request.action !== "note") {
      await this.askTakeover(ctx, error, request);
      return;
    }
    const d = error.details;
    const c = await getCase(ctx.app.db, request.caseId).catch(() => undefined);
    if (error.code === "CaseNotFound" && !d.ref) {
      await respond.refuse(ctx.t("moderation-error-case-gone"));
      return;
    }
    await respond.refuse(
      ctx.t(`moderation-error-${error.code}`, {
        ref: d.ref ?? c?.ref ?? "—",
        status: d.from ? statusLabel(ctx.t, d.from) : "—",
        from: d.from ?? "",
        action: d.action ? ctx.t(`moderation-action-${d.action}`) : "—",
        limit: d.limit ?? 0,
      }),
    );
  }

  private async askTakeover(ctx: BotContext, error: CaseError, request: ActionRequest): Promise<void> {
    const holder = error.details.holderId!;
    const names = await displayNames(ctx.app.db, [holder]);
    const confirm = takeoverOf[request.action as Exclude<StaffAction, "note">];
    const text = ctx.t("moderation-held-confirm", {
      ref: error.details.ref ?? "—",
      name: staffName(names, holder),
      since: error.details.heldSince ? formatTime(error.details.heldSince, ctx.locale) : "—",
    });
    const keyboard = new InlineKeyboard()
      .text(ctx.t(`moderation-takeover-${request.action}`), packCaseButton({ action: confirm, caseId: request.caseId }))
      .row()
      .text(ctx.t("moderation-button-dismiss"), packCaseButton({ action: "dismiss", caseId: request.caseId }));
    await ctx.reply(text, { reply_markup: keyboard });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  }

  /** Runs one staff action to the end: the change, the cards, the reporter, the answer to the moderator. */
  async run(ctx: BotContext, staff: Staff, request: ActionRequest, respond: Responder): Promise<void> {
    if (request.action !== "take" && request.action !== "verify" && request.text === undefined) {
      try {
        await checkBeforeText(this.deps(ctx), {
          caseId: request.caseId,
          actorId: staff.user_id,
          takeover: request.takeover,
          action: request.action,
        });
      } catch (error) {
        await this.explain(ctx, error, request, respond);
        return;
      }
      await this.prompt(ctx, staff, request);
      return;
    }
    let result: Applied;
    let undelivered = false;
    try {
      result = await this.apply(ctx, staff, request);
    } catch (error) {
      await this.explain(ctx, error, request, respond);
      return;
    }
    if (request.action === "request_info") undelivered = !(await this.deliverQuestion(ctx, result));
    const after = undelivered ? await getCase(ctx.app.db, request.caseId) : result.after;
    const origin = request.origin ? { ...request.origin, locale: ctx.locale } : undefined;
    await this.desk.refreshCards([request.caseId], origin);
    const told = await this.tellReporterOfDecision(ctx, request, after);
    const ref = after.ref;
    ctx.app.logger.info({ case: ref, action: request.action, takeover: result.takenOverFrom !== undefined }, "staff action");
    if (undelivered) {
      await respond.refuse(ctx.t("moderation-done-question-undelivered", { ref }));
      return;
    }
    const key = result.event === undefined && request.action === "take" ? "moderation-done-already-yours" : `moderation-done-${request.action}`;
    const reporterNote =
      told === undefined ? "" : `\n${ctx.t(told ? "moderation-done-reporter-told" : "moderation-done-reporter-not-told")}`;
    await respond.done(`${ctx.t(key, { ref, status: statusLabel(ctx.t, after.status) })}${reporterNote}`);
  }

  private async apply(ctx: BotContext, staff: Staff, request: ActionRequest): Promise<Applied> {
    const deps = this.deps(ctx);
    const base = { caseId: request.caseId, actorId: staff.user_id, takeover: request.takeover };
    switch (request.action) {
      case "take":
        return takeCase(deps, base);
      case "verify":
        return verifyCase(deps, base);
      case "reject":
        return rejectCase(deps, { ...base, reason: request.text ?? "" });
      case "mark_duplicate":
        return markDuplicate(deps, { ...base, originalRef: request.text ?? "" });
      case "note":
        return addNote(deps, { ...base, text: request.text ?? "" });
      case "request_info":
        return requestInfo(deps, { ...base, question: request.text ?? "" });
    }
  }

  /** Asks for the missing text as a reply to a message only this moderator is prompted to answer. */
  private async prompt(ctx: BotContext, staff: Staff, request: ActionRequest): Promise<void> {
    const c = await getCase(ctx.app.db, request.caseId);
    const action = request.action as PromptAction;
    // In the group, the moderator's name (a mention) makes the reply field open for them only.
    const name = ctx.chat?.type !== "private" && ctx.from ? ctx.from.first_name : "";
    const question = `${name ? `${name}, ` : ""}${ctx.t(`moderation-prompt-${action}`, { ref: c.ref })}`;
    const mention = name && ctx.from ? [{ type: "text_mention" as const, offset: 0, length: name.length, user: ctx.from }] : [];
    const message = await ctx.reply(question, {
      ...(mention.length ? { entities: mention } : {}),
      ...(ctx.message ? { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } } : {}),
      reply_markup: { force_reply: true, selective: true, input_field_placeholder: ctx.t(`moderation-placeholder-${action}`) },
    });
    await savePrompt(ctx.app.db, {
      chatId: message.chat.id,
      messageId: message.message_id,
      staffId: staff.user_id,
      caseId: c.id,
      action,
      takeover: request.takeover,
    });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  }

  /** Sends the question through the reporter's sealed contact; false when it could not reach them. */
  private async deliverQuestion(ctx: BotContext, result: Applied): Promise<boolean> {
    if (!("request" in result)) return true;
    const c = result.after;
    const t = translator(this.i18n, c.locale);
    const question = t("moderation-reporter-question", { ref: c.ref, question: result.event?.text ?? "" });
    const messageId = await this.tellReporter(ctx, result.contact, question, true);
    if (messageId !== undefined) {
      await recordQuestionMessage(ctx.app.db, result.request.id, messageId);
      return true;
    }
    await markInfoUndelivered(this.deps(ctx), c.id, result.request.id);
    return false;
  }

  /** Verified, rejected (with the reason) or duplicate: told in the case's language, only with contact allowed. */
  private async tellReporterOfDecision(ctx: BotContext, request: ActionRequest, c: Case): Promise<boolean | undefined> {
    const key =
      request.action === "verify"
        ? "moderation-reporter-verified"
        : request.action === "reject"
          ? "moderation-reporter-rejected"
          : request.action === "mark_duplicate"
            ? "moderation-reporter-duplicate"
            : undefined;
    if (!key) return undefined;
    const contact = await reporterContactOf(ctx.app.db, c);
    if (!contact) return false;
    const t = translator(this.i18n, c.locale);
    const sent = await this.tellReporter(ctx, contact, t(key, { ref: c.ref, reason: request.text ?? "" }), false);
    return sent !== undefined;
  }

  private async tellReporter(ctx: BotContext, contact: ReporterContact, text: string, expectReply: boolean): Promise<number | undefined> {
    try {
      const chatId = openContact(contact, ctx.app.keys);
      const message = await ctx.api.sendMessage(chatId, text, expectReply ? { reply_markup: { force_reply: true } } : {});
      return message.message_id;
    } catch (error) {
      // Neither the chat id nor the text goes to the log: only why it failed.
      const reason = error instanceof GrammyError ? error.description : error instanceof Error ? error.name : "unknown";
      ctx.app.logger.warn({ reason }, "could not write to a reporter");
      return undefined;
    }
  }
}
