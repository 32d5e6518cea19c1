import { createConversation } from "@grammyjs/conversations";
import type { I18n } from "@grammyjs/i18n";
import { Composer } from "grammy";
import { emptyAnswers, isStep, steps, type Step } from "../../../cases/draft.js";
import { findReporterCaseByDraftTag } from "../../../db/cases.js";
import { deleteDraft, findDraft, findDraftOfReporter, openDraftOfReporter } from "../../../db/drafts.js";
import { findReportStart } from "../../../db/reporters.js";
import type { Draft } from "../../../db/types.js";
import type { BotContext, ConversationContext } from "../../context.js";
import { START_REPORT_DATA } from "../basics/index.js";
import { cancelData, CONSENT_TAG } from "./callback-data.js";
import { noteReportConfirmed, wasReportConfirmed } from "./confirmations.js";
import { consentConversation } from "./consent.js";
import { handOver, offerDraft, takeHandover, takeKnownDraft } from "./handover.js";
import { readInput } from "./input.js";
import { photosConversation } from "./photos.js";
import { reviewStage } from "./review.js";
import { cancelKeyboard, type StageArgs, stageConversation } from "./stage.js";
import { createDraftCache } from "./draft-cache.js";
import { createStages } from "./stages.js";

const CONSENT_CONVERSATION = "intake-consent";
/** A chain of answered steps in one update never needs more hops than this; it only guards against a loop. */
const MAX_HOPS_PER_UPDATE = 4;

export function conversationId(step: Step): string {
  return `intake-${step}`;
}

/** A conversation that finished while being entered leaves an empty entry behind until the update ends. */
function hasActiveConversation(ctx: BotContext): boolean {
  return Object.values(ctx.conversation.active()).some((count) => count > 0);
}

/**
 * Asks the question of the draft's step, and keeps going while steps finish within this update (an answer given
 * when the step's state had been lost, then the next question). The draft says where the person is; the
 * conversation is only the question being asked now.
 */
async function runSteps(ctx: BotContext, first: Draft, mode: StageArgs["mode"], notice?: StageArgs["notice"]): Promise<void> {
  let draft: Draft | undefined = first;
  let currentMode = mode;
  for (let hop = 0; draft && hop < MAX_HOPS_PER_UPDATE; hop++) {
    const step: Step = isStep(draft.step) ? draft.step : "review";
    const args: StageArgs = {
      locale: ctx.locale,
      draftKey: draft.draft_key,
      mode: currentMode,
      ...(notice && hop === 0 ? { notice } : {}),
    };
    takeHandover(ctx);
    offerDraft(ctx, draft);
    await ctx.conversation.enter(conversationId(step), args);
    const saved = takeKnownDraft(ctx, draft.draft_key);
    if (!takeHandover(ctx) || hasActiveConversation(ctx)) return;
    // Clears the finished step's empty entry, which would otherwise refuse the next one.
    await ctx.conversation.exitAll();
    draft = saved ?? (await findDraft(ctx.app.db, draft.draft_key));
    currentMode = "ask";
  }
}

/** Runs before the steps' conversations, so /cancel is never taken for an answer. */
export function intakeGuard(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");
  privateChat.command("cancel", async (ctx) => {
    const draft = ctx.pseudonym ? await findDraftOfReporter(ctx.app.db, ctx.pseudonym) : undefined;
    if (!draft && !hasActiveConversation(ctx)) {
      await ctx.reply(ctx.t("intake-cancel-nothing"));
      return;
    }
    await ctx.reply(ctx.t("intake-cancel-confirm"), { reply_markup: cancelKeyboard((key, vars) => ctx.t(key, vars)) });
  });
  privateChat.callbackQuery(cancelData.filter(), async (ctx, next) => {
    const { answer } = cancelData.unpack(ctx.callbackQuery.data);
    await ctx.answerCallbackQuery().catch(() => undefined);
    const draft = ctx.pseudonym ? await findDraftOfReporter(ctx.app.db, ctx.pseudonym) : undefined;
    if (answer === "yes") {
      const active = hasActiveConversation(ctx);
      await ctx.conversation.exitAll();
      if (!draft && !active) {
        await ctx.reply(ctx.t("intake-cancel-nothing"));
        return;
      }
      const deleted = draft ? await deleteDraft(ctx.app.db, draft.draft_key) : { photos: 0 };
      ctx.app.logger.info({ reporter: ctx.pseudonym, photos: deleted.photos }, "draft cancelled");
      await ctx.reply(ctx.t("intake-cancel-done", { photos: deleted.photos }));
      return;
    }
    await ctx.reply(ctx.t("intake-cancel-kept"));
    if (!draft) return;
    // The question is asked afresh by the dispatcher further down, as for a finished step.
    await ctx.conversation.exitAll();
    handOver(ctx);
    await next();
  });
  return composer;
}

/** Every question of a report as a conversation of its own. */
export function intakeConversations(i18n: I18n<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const registered = new Set<Step>();
  const drafts = createDraftCache();
  for (const spec of [...createStages(i18n), reviewStage]) {
    composer.use(
      createConversation<BotContext, ConversationContext>(stageConversation(spec as never, i18n, drafts), conversationId(spec.step)),
    );
    registered.add(spec.step);
  }
  composer.use(createConversation<BotContext, ConversationContext>(photosConversation(i18n), conversationId("photos")));
  registered.add("photos");
  const missing = steps.filter((s) => !registered.has(s));
  if (missing.length > 0) throw new Error(`intake steps without a conversation: ${missing.join(", ")}`);
  composer.use(createConversation<BotContext, ConversationContext>(consentConversation(i18n), CONSENT_CONVERSATION));
  return composer;
}

async function startReport(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  if (!ctx.pseudonym) return;
  await ctx.conversation.exitAll();
  // A flood of reports from one account is abuse, not testimony; a real person rarely needs more in a day.
  const since = new Date(Date.now() - 86_400_000);
  const { open, startedSince } = await findReportStart(ctx.app.db, ctx.pseudonym, since);
  if (open) {
    await runSteps(ctx, open, "ask", "existing");
    return;
  }
  if (startedSince >= REPORTS_PER_DAY) {
    await ctx.reply(ctx.t("intake-daily-limit", { limit: REPORTS_PER_DAY }));
    return;
  }
  await ctx.conversation.enter(CONSENT_CONVERSATION, { locale: ctx.locale });
}

export const REPORTS_PER_DAY = 10;

/**
 * After the steps' conversations: /new, and the dispatcher. With no question being asked and a draft in
 * progress, the dispatcher asks the draft's current question: right after a step finished, and after a crash,
 * a deploy or anything else that lost the conversation's state.
 */
export function intakeFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChat = composer.chatType("private");
  privateChat.command("new", startReport);
  privateChat.callbackQuery(START_REPORT_DATA, startReport);
  privateChat.use(async (ctx, next) => {
    if (!ctx.pseudonym || hasActiveConversation(ctx)) return next();
    const handed = takeHandover(ctx);
    const input = readInput(ctx);
    if (!handed && (input.kind === "command" || input.kind === "foreign_button" || input.kind === "ignored")) return next();
    let draft = (handed ? takeKnownDraft(ctx) : undefined) ?? (await findDraftOfReporter(ctx.app.db, ctx.pseudonym));
    if (!draft && !handed && input.kind === "button" && input.step === "consent" && input.tag === CONSENT_TAG) {
      if (input.value !== "agree") return next();
      draft = await openDraftOfReporter(ctx.app.db, ctx.pseudonym, ctx.locale, "role", emptyAnswers() as unknown as Record<string, unknown>);
      await ctx.answerCallbackQuery().catch(() => undefined);
      await runSteps(ctx, draft, "ask");
      return;
    }
    if (!draft) {
      if (input.kind !== "button") return next();
      const sent = await findReporterCaseByDraftTag(ctx.app.db, ctx.pseudonym, input.tag);
      if (sent && !wasReportConfirmed(ctx.session, input.tag)) {
        // The update that sent this report was cut off before the person was told (a crash, a deploy): a press of
        // any of its buttons, that update delivered again included, brings the confirmation and its reference.
        if (!handed) await ctx.answerCallbackQuery().catch(() => undefined);
        await ctx.reply(ctx.t("intake-submitted", { ref: sent.ref }));
        noteReportConfirmed(ctx.session, input.tag);
        return;
      }
      if (handed) return next();
      await ctx
        .answerCallbackQuery({ text: sent ? ctx.t("intake-already-submitted", { ref: sent.ref }) : ctx.t("intake-stale-button") })
        .catch(() => undefined);
      return;
    }
    await runSteps(ctx, draft, handed ? "ask" : "answer", handed ? undefined : "resumed");
  });
  return composer;
}
