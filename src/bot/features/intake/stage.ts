import type { Conversation } from "@grammyjs/conversations";
import type { I18n } from "@grammyjs/i18n";
import { InlineKeyboard } from "grammy";
import type { Db } from "../../../db/connect.js";
import { advanceDraftReturning, findDraft } from "../../../db/drafts.js";
import type { Draft, Locale } from "../../../db/types.js";
import { type DraftAnswers, nextStep, previousStep, readAnswers, type Step } from "../../../cases/draft.js";
import type { BotContext, ConversationContext } from "../../context.js";
import { translator, type Translate } from "../../i18n.js";
import { cancelData, draftTag } from "./callback-data.js";
import { noteReportConfirmed } from "./confirmations.js";
import type { DraftCache } from "./draft-cache.js";
import { handOver, takeKnownDraft } from "./handover.js";
import { type Input, readInput } from "./input.js";
import { BACK, type Question, matchButton, sendQuestion } from "./question.js";

export type IntakeConversation = Conversation<BotContext, ConversationContext>;
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface StageArgs {
  locale: Locale;
  draftKey: string;
  /** "answer": the update that entered the step is the person's answer to it (the step's state had been lost). */
  mode: "ask" | "answer";
  notice?: "resumed" | "existing";
}

/** What a step can be given as an answer once commands and other features' buttons are set aside. */
export type Answer = Exclude<Input, { kind: "command" | "foreign_button" | "ignored" }>;

export interface AcceptEnv {
  answers: DraftAnswers;
  /** Kept between two messages of one step, e.g. an amount waiting for its currency. */
  pending: Json | undefined;
  now: Date;
  draftKey: string;
  locale: Locale;
  outer: BotContext;
}

export type Outcome =
  /** With `keep`, the follow-up question being answered is asked again instead of the step's question. */
  | { kind: "retry"; error: string; vars?: Record<string, string | number>; keep?: boolean }
  | { kind: "follow_up"; pending: Json }
  | { kind: "save"; answers: DraftAnswers; next?: Step }
  /** The report is done with: say so and end the step without asking anything else. */
  | { kind: "finish"; message: string; vars?: Record<string, string | number>; notifyCaseId?: string; confirmsSent?: boolean }
  | { kind: "confirm_cancel" };

type RunResult =
  | { kind: "retry"; error: string; vars?: Record<string, string | number>; keep?: boolean }
  | { kind: "follow_up"; pending: Json }
  | { kind: "finish"; message: string; vars?: Record<string, string | number>; notifyCaseId?: string; confirmsSent?: boolean }
  | { kind: "confirm_cancel" }
  | { kind: "moved_on" };

export interface StageSpec<V extends Json> {
  step: Step;
  /** Only what the question needs: it is kept in the conversation's replay log while the step lasts. */
  view(answers: DraftAnswers, env: { db: Db; draftKey: string }): V | Promise<V>;
  question(t: Translate, view: V): Question;
  followUp?(t: Translate, view: V, pending: Json): Question;
  /** Other words that count as pressing a button, by button value. */
  synonyms?: Record<string, readonly string[]>;
  accept(answer: Answer, env: AcceptEnv): Outcome | Promise<Outcome>;
}

interface Opened<V> {
  tag: string;
  view: V;
  back: boolean;
}

async function openStage<V extends Json>(
  spec: StageSpec<V>,
  outer: BotContext,
  draftKey: string,
  drafts: DraftCache,
): Promise<Opened<V> | null> {
  const db = outer.app.db;
  const draft = takeKnownDraft(outer, draftKey) ?? (await findDraft(db, draftKey));
  if (!draft || draft.step !== spec.step) return null;
  drafts.keep(draft);
  const answers = readAnswers(draft.answers);
  return {
    tag: draftTag(draftKey),
    view: await spec.view(answers, { db, draftKey }),
    back: previousStep(spec.step, answers) !== undefined,
  };
}

/**
 * Saves an answer only if the draft still waits for this step (otherwise the answer is stale and changes nothing)
 * and, given `read`, still holds the answers it was read with.
 */
async function save(
  db: Db,
  draftKey: string,
  step: Step,
  answers: DraftAnswers,
  next: Step,
  read?: Draft,
): Promise<Draft | undefined> {
  const stored: DraftAnswers = next === "review" ? { ...answers, returnToReview: false } : answers;
  return advanceDraftReturning(db, draftKey, step, next, stored as unknown as Record<string, unknown>, read?.answers);
}

async function runAccept<V extends Json>(
  spec: StageSpec<V>,
  outer: BotContext,
  draftKey: string,
  answer: Answer,
  pending: Json | undefined,
  locale: Locale,
  drafts: DraftCache | undefined,
): Promise<RunResult> {
  const db = outer.app.db;
  const copy = drafts?.take(draftKey);
  const cached = copy?.step === spec.step ? copy : undefined;
  const draft = cached ?? (await findDraft(db, draftKey));
  if (!draft || draft.step !== spec.step) {
    handOver(outer);
    return { kind: "moved_on" };
  }
  // A copy that no longer matches the row is read again and the answer taken anew: accepting is repeatable (a
  // submit is one case per draft, whatever happens).
  const again = () => runAccept(spec, outer, draftKey, answer, pending, locale, undefined);
  const saved = async (next: Step, answers: DraftAnswers): Promise<RunResult> => {
    const result = await save(db, draftKey, spec.step, answers, next, cached);
    if (!result && cached) return again();
    if (result) drafts?.keep(result);
    handOver(outer, result);
    return { kind: "moved_on" };
  };
  const answers = readAnswers(draft.answers);
  if (answer.kind === "button" && answer.value === BACK) {
    const back = previousStep(spec.step, answers);
    if (back) return saved(back, back === "review" ? { ...answers, returnToReview: false } : answers);
  }
  const outcome = await spec.accept(answer, { answers, pending, now: new Date(), draftKey, locale, outer });
  if (outcome.kind === "save") return saved(outcome.next ?? nextStep(spec.step, outcome.answers), outcome.answers);
  if (outcome.kind !== "finish") drafts?.keep(draft);
  return outcome;
}

/**
 * One question of the report as a conversation of its own: ask, wait for an answer that fits (explaining and
 * asking again otherwise), save it to the draft, hand over to the dispatcher for the next question. Its replay
 * log holds only the updates of this one question, so a long report never gets slower.
 */
export function stageConversation<V extends Json>(spec: StageSpec<V>, i18n: I18n<BotContext>, drafts: DraftCache) {
  return async function stage(conversation: IntakeConversation, ctx: ConversationContext, args: StageArgs) {
    const t = translator(i18n, args.locale);
    const opened = await conversation.external((outer) => openStage(spec, outer, args.draftKey, drafts));
    if (!opened) return;
    const { tag, view } = opened;
    const base = spec.question(t, view);
    if (opened.back) base.rows = [...base.rows, [{ label: t("intake-button-back"), value: BACK }]];
    let question = base;
    let pending: Json | undefined;
    let incoming: ConversationContext | undefined = args.mode === "answer" ? ctx : undefined;

    if (args.notice) await ctx.reply(t(`intake-notice-${args.notice}`));
    if (!incoming) await sendQuestion(ctx, question, spec.step, tag);

    for (;;) {
      const entering = incoming !== undefined;
      const current: ConversationContext = incoming ?? (await conversation.wait());
      incoming = undefined;
      let input = readInput(current);
      if (input.kind === "command" || input.kind === "foreign_button" || input.kind === "ignored") {
        if (entering) {
          await sendQuestion(ctx, question, spec.step, tag);
          continue;
        }
        await conversation.skip({ next: true });
        continue;
      }
      if (input.kind === "button" && (input.tag !== tag || input.step !== spec.step)) {
        await answerQuery(conversation, t("intake-stale-button"));
        if (entering) await sendQuestion(ctx, question, spec.step, tag);
        continue;
      }
      if (input.kind === "text") {
        const value = matchButton(input.text, question, spec.synonyms);
        if (value !== undefined) input = { kind: "button", step: spec.step, tag, value };
      }
      const answer: Answer = input;
      const result = await conversation.external((outer) =>
        runAccept(spec, outer, args.draftKey, answer, pending, args.locale, drafts),
      );
      if (current.callbackQuery) await answerQuery(conversation);
      switch (result.kind) {
        case "moved_on":
          return conversation.halt({ next: true });
        case "retry":
          if (!result.keep) {
            pending = undefined;
            question = base;
          }
          await sendQuestion(current, question, spec.step, tag, { prefix: t(result.error, result.vars), withPreamble: false });
          break;
        case "follow_up":
          pending = result.pending;
          question = spec.followUp ? spec.followUp(t, view, pending) : base;
          await sendQuestion(current, question, spec.step, tag);
          break;
        case "confirm_cancel":
          await current.reply(t("intake-cancel-confirm"), { reply_markup: cancelKeyboard(t) });
          break;
        case "finish": {
          await current.reply(t(result.message, result.vars));
          if (result.confirmsSent) await conversation.external((outer) => noteReportConfirmed(outer.session, tag));
          const caseId = result.notifyCaseId;
          if (caseId) await conversation.external((outer) => notifyModerators(outer, caseId));
          return;
        }
      }
    }
  };
}

export function cancelKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("intake-cancel-yes"), cancelData.pack({ answer: "yes" }))
    .text(t("intake-cancel-no"), cancelData.pack({ answer: "no" }));
}

/**
 * A button press is answered from outside the replay: a query that is too old to answer (after a restart) makes
 * Telegram refuse, and that refusal must not end the step.
 */
export async function answerQuery(conversation: IntakeConversation, text?: string): Promise<void> {
  await conversation.external(async (outer) => {
    if (!outer.callbackQuery) return;
    try {
      await outer.answerCallbackQuery(text ? { text } : {});
    } catch {
      // Too old to answer: the person sees the next question anyway.
    }
  });
}

/** Moderators learn of a new case; their failure never undoes or fails a submitted report. */
export async function notifyModerators(outer: BotContext, caseId: string): Promise<void> {
  const hook = outer.app.notifyCaseSubmitted;
  if (!hook) return;
  try {
    await hook(caseId);
  } catch (error) {
    outer.app.logger.error({ err: error, caseId }, "moderators could not be told about a new case");
  }
}
