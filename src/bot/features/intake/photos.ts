import type { I18n } from "@grammyjs/i18n";
import { MAX_PHOTOS, nextStep, previousStep, readAnswers } from "../../../cases/draft.js";
import { deleteDraftPhotos, countDraftPhotos, findDraftPhotoId, insertDraftPhoto } from "../../../db/photos.js";
import { advanceDraftReturning, findDraft, touchDraft } from "../../../db/drafts.js";
import { ImageRejectedError, type SanitizedImage } from "../../../media/sanitize.js";
import { DEFAULT_API_ROOT, DownloadError, downloadTelegramFile } from "../../../telegram/download.js";
import type { BotContext, ConversationContext } from "../../context.js";
import { translator, type Translate } from "../../i18n.js";
import { draftTag } from "./callback-data.js";
import { handOver, takeKnownDraft } from "./handover.js";
import { readInput } from "./input.js";
import { BACK, type Question, keyboardFor, matchButton, sendQuestion } from "./question.js";
import { answerQuery, type IntakeConversation, type StageArgs } from "./stage.js";

const STEP = "photos";
const DONE = "done";
const SKIP = "skip";
const CLEAR = "clear";

export type PhotoRejection =
  | "not_an_image"
  | "unsupported_format"
  | "too_large"
  | "too_many_pixels"
  | "corrupt"
  | "unavailable";

type StoreResult =
  | { kind: "stored"; total: number; duplicate: boolean }
  | { kind: "rejected"; reason: PhotoRejection }
  | { kind: "limit" }
  | { kind: "moved_on" };

interface Opened {
  tag: string;
  count: number;
  back: boolean;
  editing: boolean;
}

async function openPhotos(outer: BotContext, draftKey: string): Promise<Opened | null> {
  const draft = takeKnownDraft(outer, draftKey) ?? (await findDraft(outer.app.db, draftKey));
  if (!draft || draft.step !== STEP) return null;
  const answers = readAnswers(draft.answers);
  return {
    tag: draftTag(draftKey),
    count: await countDraftPhotos(outer.app.db, draftKey),
    back: previousStep(STEP, answers) !== undefined,
    editing: answers.returnToReview === true,
  };
}

/**
 * Download, sanitize and store one picture as a draft photo, all before answering, so an acknowledged photo
 * survives any crash. Only a small result leaves this function: never the bytes.
 */
async function storePhoto(
  outer: BotContext,
  draftKey: string,
  file: { fileId: string; fileUniqueId: string; fileSize?: number },
): Promise<StoreResult> {
  const { db, config, logger, sanitizer } = outer.app;
  const draft = await findDraft(db, draftKey);
  if (!draft || draft.step !== STEP) {
    handOver(outer);
    return { kind: "moved_on" };
  }
  const count = await countDraftPhotos(db, draftKey);
  if (await findDraftPhotoId(db, draftKey, file.fileUniqueId)) return { kind: "stored", total: count, duplicate: true };
  if (count >= MAX_PHOTOS) return { kind: "limit" };
  if (file.fileSize !== undefined && file.fileSize > config.maxPhotoBytes) return { kind: "rejected", reason: "too_large" };
  const cleaned = await sanitizer.inHand(() => fetchAndClean(outer, file));
  if (cleaned.kind === "rejected") return cleaned;
  const stored = await insertDraftPhoto(db, draftKey, file.fileUniqueId, cleaned.image);
  await touchDraft(db, draftKey);
  logger.debug({ reporter: outer.pseudonym, photo: stored.id }, "draft photo stored");
  return { kind: "stored", total: stored.duplicate ? count : count + 1, duplicate: stored.duplicate };
}

async function fetchAndClean(
  outer: BotContext,
  file: { fileId: string },
): Promise<{ kind: "cleaned"; image: SanitizedImage } | { kind: "rejected"; reason: PhotoRejection }> {
  const { config, logger, sanitizer } = outer.app;
  let data: Buffer;
  try {
    const info = await outer.api.getFile(file.fileId);
    if (info.file_size !== undefined && info.file_size > config.maxPhotoBytes) return { kind: "rejected", reason: "too_large" };
    if (!info.file_path) return { kind: "rejected", reason: "unavailable" };
    data = await downloadTelegramFile({
      apiRoot: config.botApiRoot ?? DEFAULT_API_ROOT,
      token: config.botToken,
      filePath: info.file_path,
      maxBytes: config.maxPhotoBytes,
    });
  } catch (error) {
    if (error instanceof DownloadError && error.problem === "too_large") return { kind: "rejected", reason: "too_large" };
    logger.warn({ err: error, reporter: outer.pseudonym }, "photo download failed");
    return { kind: "rejected", reason: "unavailable" };
  }
  try {
    return { kind: "cleaned", image: await sanitizer.sanitize(data) };
  } catch (error) {
    if (error instanceof ImageRejectedError) return { kind: "rejected", reason: error.reason };
    logger.error({ err: error, reporter: outer.pseudonym }, "sanitizer failed unexpectedly");
    return { kind: "rejected", reason: "corrupt" };
  }
}

async function finishPhotos(outer: BotContext, draftKey: string, value: string): Promise<{ moved: boolean; cleared?: number }> {
  const db = outer.app.db;
  const draft = await findDraft(db, draftKey);
  if (!draft || draft.step !== STEP) {
    handOver(outer);
    return { moved: true };
  }
  const answers = readAnswers(draft.answers);
  if (value === CLEAR) return { moved: false, cleared: await deleteDraftPhotos(db, draftKey) };
  const target = value === BACK ? previousStep(STEP, answers) : nextStep(STEP, answers);
  if (!target) return { moved: false };
  const stored = target === "review" ? { ...answers, returnToReview: false } : answers;
  handOver(outer, await advanceDraftReturning(db, draftKey, STEP, target, stored as unknown as Record<string, unknown>));
  return { moved: true };
}

function photosQuestion(t: Translate, opened: Opened, count: number): Question {
  return {
    text: count > 0 ? t("intake-photos-question-more", { count, max: MAX_PHOTOS }) : t("intake-photos-question", { max: MAX_PHOTOS }),
    rows: [
      [{ label: t("intake-photos-done"), value: DONE }],
      ...(count === 0 ? [[{ label: t("intake-button-skip"), value: SKIP }]] : []),
      ...(opened.editing && count > 0 ? [[{ label: t("intake-photos-clear"), value: CLEAR }]] : []),
      ...(opened.back ? [[{ label: t("intake-button-back"), value: BACK }]] : []),
    ],
  };
}

interface AlbumAck {
  messageId: number;
  received: number;
  limitTold: boolean;
}

/**
 * The photos step. An album arrives as one message per picture; the first stored picture of an album gets an
 * acknowledgement and the later ones edit it, so the person sees one running count instead of a wall of replies.
 */
export function photosConversation(i18n: I18n<BotContext>) {
  return async function photos(conversation: IntakeConversation, ctx: ConversationContext, args: StageArgs) {
    const t = translator(i18n, args.locale);
    const opened = await conversation.external((outer) => openPhotos(outer, args.draftKey));
    if (!opened) return;
    const { tag } = opened;
    let count = opened.count;
    const albums = new Map<string, AlbumAck>();
    let incoming: ConversationContext | undefined = args.mode === "answer" ? ctx : undefined;
    const ask = (prefix?: string) =>
      sendQuestion(ctx, photosQuestion(t, opened, count), STEP, tag, prefix ? { prefix } : {});

    if (args.notice) await ctx.reply(t(`intake-notice-${args.notice}`));
    if (!incoming) await ask();

    for (;;) {
      const entering = incoming !== undefined;
      const current: ConversationContext = incoming ?? (await conversation.wait());
      incoming = undefined;
      let input = readInput(current);
      if (input.kind === "command" || input.kind === "foreign_button" || input.kind === "ignored") {
        if (entering) {
          await ask();
          continue;
        }
        await conversation.skip({ next: true });
        continue;
      }
      if (input.kind === "button" && (input.tag !== tag || input.step !== STEP)) {
        await answerQuery(conversation, t("intake-stale-button"));
        if (entering) await ask();
        continue;
      }
      if (input.kind === "text") {
        const value = matchButton(input.text, photosQuestion(t, opened, count), {
          [DONE]: ["готово", "все", "усе", "done", "finish", "that's all"],
          [SKIP]: ["пропустити", "skip", "немає", "no photos"],
        });
        if (value === undefined) {
          await ask(t("intake-photos-error-text"));
          continue;
        }
        input = { kind: "button", step: STEP, tag, value };
      }
      switch (input.kind) {
        case "button": {
          const value = input.value;
          const result = await conversation.external((outer) => finishPhotos(outer, args.draftKey, value));
          if (current.callbackQuery) await answerQuery(conversation);
          if (result.moved) return conversation.halt({ next: true });
          if (result.cleared !== undefined) {
            count = 0;
            albums.clear();
            await ask(t("intake-photos-cleared", { count: result.cleared }));
          }
          break;
        }
        case "unsupported_media":
          await current.reply(t(`intake-photos-refused-${input.media}`));
          break;
        case "location":
          await ask(t("intake-photos-error-location"));
          break;
        case "photo":
        case "document": {
          const file = {
            fileId: input.fileId,
            fileUniqueId: input.fileUniqueId,
            ...(input.fileSize !== undefined ? { fileSize: input.fileSize } : {}),
          };
          const group = input.mediaGroupId;
          const result = await conversation.external((outer) => storePhoto(outer, args.draftKey, file));
          if (result.kind === "moved_on") return conversation.halt({ next: true });
          const album = group ? albums.get(group) : undefined;
          if (result.kind === "rejected") {
            await current.reply(t(`intake-photo-rejected-${result.reason}`));
            break;
          }
          if (result.kind === "limit") {
            if (album?.limitTold) break;
            if (album) album.limitTold = true;
            else if (group) albums.set(group, { messageId: 0, received: 0, limitTold: true });
            await current.reply(t("intake-photos-limit", { max: MAX_PHOTOS }));
            break;
          }
          count = result.total;
          const keyboard = keyboardFor(photosQuestion(t, opened, count), STEP, tag);
          const markup = keyboard ? { reply_markup: keyboard } : {};
          if (group) {
            const received = (album?.received ?? 0) + (result.duplicate ? 0 : 1);
            const text = t("intake-photos-received-album", { received: Math.max(received, 1), total: count, max: MAX_PHOTOS });
            if (album && album.messageId > 0) {
              album.received = received;
              const messageId = album.messageId;
              const chatId = current.chat!.id;
              const edited = await conversation.external(async (outer) => {
                try {
                  await outer.api.editMessageText(chatId, messageId, text, markup);
                  return true;
                } catch (error) {
                  // The same count twice (a redelivered picture) is not a failure.
                  return /message is not modified/i.test((error as Error).message);
                }
              });
              if (edited) break;
            }
            const sent = await current.reply(text, markup);
            albums.set(group, { messageId: sent.message_id, received: Math.max(received, 1), limitTold: album?.limitTold ?? false });
          } else {
            await current.reply(t("intake-photos-received", { total: count, max: MAX_PHOTOS }), markup);
          }
          break;
        }
      }
    }
  };
}
