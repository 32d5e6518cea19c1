import type { I18n } from "@grammyjs/i18n";
import { type Api, GrammyError, InputFile, InputMediaBuilder } from "grammy";
import { type CaseCard, linkedCaseIds, loadCaseCard, type ModerationDeps } from "../../../cases/moderation.js";
import { lastCaseAction } from "../../../db/case-events.js";
import { loadPhotoBytes } from "../../../db/moderation-queries.js";
import {
  casesWithoutCard,
  claimCard,
  findCardMessage,
  recordCardPosted,
  recordCardRendered,
  releaseCardClaim,
  staleCards,
} from "../../../db/moderation-state.js";
import { displayNames } from "../../../db/staff.js";
import type { CaseEvent, Locale } from "../../../db/types.js";
import type { Job } from "../../../jobs/job-runner.js";
import type { AppServices, BotContext } from "../../context.js";
import { translator, type Translate } from "../../i18n.js";
import { type CardView, cardKeyboard, mentionedStaff, renderCard, renderHistory, splitMessages } from "./card.js";

/** A claim older than this was left by a process that died mid-post; another may post the card. */
const CLAIM_STALE_MS = 10 * 60_000;
const ALBUM_SIZE = 10;
const SWEEP_BATCH = 50;

export interface ModerationDesk {
  /** Queues the card of a newly submitted case and returns at once. */
  caseSubmitted(caseId: string): Promise<void>;
  /** Posts the card, its pin and its photos to the moderators' group; false when it could not. */
  postCard(caseId: string): Promise<boolean>;
  /** Re-renders the group cards of these cases, and `also` (a copy of a card elsewhere, e.g. a private chat). */
  refreshCards(caseIds: string[], also?: { chatId: number; messageId: number; locale: Locale }): Promise<void>;
  /** The full card (not shortened), pin, photos and, if given, the audit history, to any chat. */
  sendCaseView(chatId: number, caseId: string, locale: Locale, history?: CaseEvent[]): Promise<void>;
  /** Something for the moderators about a case: to the group under the card, or to `fallbackChatId` without a group. */
  postToModerators(
    caseId: string,
    fallbackChatId: number,
    content: { text: string } | { photo: { data: Buffer; mime: string }; caption: string },
  ): Promise<void>;
  /**
   * Posts the cards a crash or an unreachable group kept from the moderators; returns how many. Cases younger
   * than `graceMs` are left to the post their submission started.
   */
  sweep(graceMs?: number): Promise<number>;
  /** Redraws group cards of cases changed elsewhere (withdrawn by the reporter) over `graceMs` ago; returns how many. */
  refreshStale(graceMs?: number): Promise<number>;
  /** Resolves when every queued card has been posted or given up on. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every few minutes: cards that could not be posted (the group was unreachable, a process died) are posted,
 * and cards of cases changed outside moderation (a reporter withdrew theirs) are redrawn.
 */
export function pendingCardsJob(desk: ModerationDesk, options: { intervalMs?: number; graceMs?: number } = {}): Job {
  const graceMs = options.graceMs ?? 60_000;
  return {
    name: "case-cards",
    intervalMs: options.intervalMs ?? 5 * 60_000,
    run: async () => ({ cards: await desk.sweep(graceMs), redrawn: await desk.refreshStale(graceMs) }),
  };
}

export function createModerationDesk(api: Api, services: AppServices, i18n: I18n<BotContext>): ModerationDesk {
  const { config, db, logger } = services;
  const deps: ModerationDeps = { db, takeTimeoutHours: config.takeTimeoutHours };
  const groupLocale = config.defaultLocale;
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  // The group being unset or unreachable is said once, not once per case; it is said again if it recovers and fails anew.
  let groupProblemLogged = false;

  const groupProblem = (reason: string, error?: unknown) => {
    if (groupProblemLogged) return;
    groupProblemLogged = true;
    logger.warn(
      { reason, ...(error ? { err: error } : {}) },
      "moderators' group unavailable: new cases are saved but get no card until it is fixed (MODERATION_CHAT_ID, bot added to the group)",
    );
  };

  async function loadView(caseId: string, history: readonly CaseEvent[] = []): Promise<CardView> {
    const [card, lastAction] = await Promise.all([loadCaseCard(deps, caseId), lastCaseAction(db, caseId)]);
    const names = await displayNames(db, mentionedStaff(card.holder, [...history, ...(lastAction ? [lastAction] : [])]));
    return { card, lastAction, names };
  }

  async function sendAttachments(chatId: number, card: CaseCard, replyTo: number, t: Translate): Promise<void> {
    const c = card.case;
    const reply = { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
    if (c.latitude !== null && c.longitude !== null) {
      await api.sendLocation(chatId, c.latitude, c.longitude, reply);
    }
    const stored = card.photos.filter((p) => p.stored).map((p) => p.id);
    for (let start = 0; start < stored.length; start += ALBUM_SIZE) {
      // A few photos at a time: a case may hold dozens of megabytes of pictures.
      const batch = await loadPhotoBytes(db, stored.slice(start, start + ALBUM_SIZE));
      if (batch.length === 0) continue;
      const caption = t("moderation-album-caption", {
        ref: c.ref,
        from: start + 1,
        to: start + batch.length,
        total: stored.length,
      });
      const file = (p: (typeof batch)[number], i: number) =>
        new InputFile(p.data, `${c.ref}-${start + i + 1}.${p.mime === "image/png" ? "png" : "jpg"}`);
      if (batch.length === 1) {
        await api.sendPhoto(chatId, file(batch[0]!, 0), { caption, ...reply });
      } else {
        await api.sendMediaGroup(
          chatId,
          batch.map((p, i) => InputMediaBuilder.photo(file(p, i), i === 0 ? { caption } : {})),
          reply,
        );
      }
    }
  }

  async function postCard(caseId: string): Promise<boolean> {
    const chatId = config.moderationChatId;
    if (chatId === undefined) {
      groupProblem("MODERATION_CHAT_ID is not set");
      return false;
    }
    if (!(await claimCard(db, caseId, chatId, CLAIM_STALE_MS))) return false;
    const t = translator(i18n, groupLocale);
    let view: CardView;
    let messageId: number;
    try {
      view = await loadView(caseId);
      const message = await api.sendMessage(chatId, renderCard(t, groupLocale, view), {
        reply_markup: cardKeyboard(t, view.card.case),
      });
      messageId = message.message_id;
      await recordCardPosted(db, caseId, messageId, view.card.case.updated_at);
    } catch (error) {
      await releaseCardClaim(db, caseId).catch(() => undefined);
      if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403)) {
        groupProblem(error.description, error);
      } else {
        logger.error({ err: error, caseId }, "could not post a case card");
      }
      return false;
    }
    groupProblemLogged = false;
    try {
      await sendAttachments(chatId, view.card, messageId, t);
    } catch (error) {
      logger.warn({ err: error, caseId }, "case card posted, but its pin or photos could not be");
    }
    const linked = linkedCaseIds(view.card);
    if (linked.length > 0) await refreshCards(linked);
    return true;
  }

  /** Redraws a card; true when the message shows the case as it is now. */
  async function editCard(chatId: number, messageId: number, caseId: string, locale: Locale): Promise<boolean> {
    const t = translator(i18n, locale);
    const view = await loadView(caseId);
    try {
      await api.editMessageText(chatId, messageId, renderCard(t, locale, view), {
        reply_markup: cardKeyboard(t, view.card.case),
      });
    } catch (error) {
      // An edit that changes nothing (a repeated press, a redelivered update) is not a failure.
      const gone = error instanceof GrammyError && /message to edit not found/i.test(error.description);
      if (!(error instanceof GrammyError && /not modified/i.test(error.description)) && !gone) {
        logger.warn({ err: error, caseId }, "could not update a case card");
        return false;
      }
    }
    if (chatId === config.moderationChatId) await recordCardRendered(db, caseId, view.card.case.updated_at);
    return true;
  }

  /** The group's card is always drawn in the group's language; a private copy in its reader's. */
  async function refreshCards(
    caseIds: string[],
    also?: { chatId: number; messageId: number; locale: Locale },
  ): Promise<void> {
    let alsoIsGroupCard = false;
    for (const caseId of new Set(caseIds)) {
      const posted = await findCardMessage(db, caseId);
      if (!posted) continue;
      if (also && also.chatId === posted.chatId && also.messageId === posted.messageId) alsoIsGroupCard = true;
      await editCard(posted.chatId, posted.messageId, caseId, groupLocale);
    }
    if (also && !alsoIsGroupCard && caseIds.length > 0) await editCard(also.chatId, also.messageId, caseIds[0]!, also.locale);
  }

  async function sendCaseView(chatId: number, caseId: string, locale: Locale, history?: CaseEvent[]): Promise<void> {
    const t = translator(i18n, locale);
    const view = await loadView(caseId, history);
    const parts = splitMessages(renderCard(t, locale, view, Number.POSITIVE_INFINITY).split("\n"));
    let first: number | undefined;
    for (const [index, part] of parts.entries()) {
      const message = await api.sendMessage(chatId, part, index === 0 ? { reply_markup: cardKeyboard(t, view.card.case) } : {});
      first ??= message.message_id;
    }
    await sendAttachments(chatId, view.card, first!, t);
    if (history) {
      for (const part of renderHistory(t, locale, history, view.names)) await api.sendMessage(chatId, part);
    }
  }

  async function postToModerators(
    caseId: string,
    fallbackChatId: number,
    content: { text: string } | { photo: { data: Buffer; mime: string }; caption: string },
  ): Promise<void> {
    const card = await findCardMessage(db, caseId);
    const chatId = config.moderationChatId ?? fallbackChatId;
    const reply =
      card && card.chatId === chatId
        ? { reply_parameters: { message_id: card.messageId, allow_sending_without_reply: true } }
        : {};
    try {
      if ("text" in content) {
        for (const part of splitMessages(content.text.split("\n"))) await api.sendMessage(chatId, part, reply);
      } else {
        const ext = content.photo.mime === "image/png" ? "png" : "jpg";
        await api.sendPhoto(chatId, new InputFile(content.photo.data, `answer.${ext}`), {
          caption: content.caption,
          ...reply,
        });
      }
    } catch (error) {
      logger.warn({ err: error, caseId }, "could not pass a reporter's answer on to the moderators");
    }
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  return {
    async caseSubmitted(caseId) {
      if (closed) return;
      void track(postCard(caseId).catch((error: unknown) => logger.error({ err: error, caseId }, "could not post a case card")));
    },
    postCard,
    refreshCards,
    sendCaseView,
    postToModerators,
    async sweep(graceMs = 0) {
      if (config.moderationChatId === undefined) {
        groupProblem("MODERATION_CHAT_ID is not set");
        return 0;
      }
      const pending = await casesWithoutCard(db, CLAIM_STALE_MS, graceMs, SWEEP_BATCH);
      let posted = 0;
      for (const caseId of pending) {
        // The first failure ends the round: the group is likely unreachable for the others too.
        if (closed || !(await track(postCard(caseId)))) break;
        posted++;
      }
      return posted;
    },
    async refreshStale(graceMs = 0) {
      const stale = await staleCards(db, graceMs, SWEEP_BATCH);
      for (const caseId of stale) {
        if (closed) break;
        await refreshCards([caseId]);
      }
      return stale.length;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      closed = true;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
