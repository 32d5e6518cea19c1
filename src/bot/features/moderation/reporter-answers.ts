import type { I18n } from "@grammyjs/i18n";
import { Composer } from "grammy";
import { type AnswerPhoto, pendingQuestion, receiveInfo } from "../../../cases/moderation.js";
import { findDraftOfReporter } from "../../../db/drafts.js";
import { findReporter } from "../../../db/reporters.js";
import { ImageRejectedError } from "../../../media/sanitize.js";
import { DEFAULT_API_ROOT, DownloadError, downloadTelegramFile } from "../../../telegram/download.js";
import type { BotContext } from "../../context.js";
import { translator } from "../../i18n.js";
import type { ModerationDesk } from "./desk.js";

type PhotoProblem = "not_an_image" | "unsupported_format" | "too_large" | "too_many_pixels" | "corrupt" | "unavailable";

interface IncomingFile {
  fileId: string;
  fileUniqueId: string;
  fileSize: number | undefined;
}

function incomingFile(ctx: BotContext): IncomingFile | undefined {
  const message = ctx.message;
  const largest = message?.photo?.at(-1);
  if (largest) return { fileId: largest.file_id, fileUniqueId: largest.file_unique_id, fileSize: largest.file_size };
  const document = message?.document;
  if (document) return { fileId: document.file_id, fileUniqueId: document.file_unique_id, fileSize: document.file_size };
  return undefined;
}

/** Downloads and sanitizes the picture like any other: only the cleaned copy is ever stored or shown. */
async function cleanPhoto(ctx: BotContext, file: IncomingFile): Promise<AnswerPhoto | PhotoProblem> {
  if (file.fileSize !== undefined && file.fileSize > ctx.app.config.maxPhotoBytes) return "too_large";
  return ctx.app.sanitizer.inHand(() => fetchAndClean(ctx, file));
}

async function fetchAndClean(ctx: BotContext, file: IncomingFile): Promise<AnswerPhoto | PhotoProblem> {
  const { config, logger, sanitizer } = ctx.app;
  let data: Buffer;
  try {
    const info = await ctx.api.getFile(file.fileId);
    if (info.file_size !== undefined && info.file_size > config.maxPhotoBytes) return "too_large";
    if (!info.file_path) return "unavailable";
    data = await downloadTelegramFile({
      apiRoot: config.botApiRoot ?? DEFAULT_API_ROOT,
      token: config.botToken,
      filePath: info.file_path,
      maxBytes: config.maxPhotoBytes,
    });
  } catch (error) {
    if (error instanceof DownloadError && error.problem === "too_large") return "too_large";
    logger.warn({ err: error, reporter: ctx.pseudonym }, "answer photo download failed");
    return "unavailable";
  }
  try {
    const image = await sanitizer.sanitize(data);
    return {
      data: image.data,
      mime: image.format === "png" ? "image/png" : "image/jpeg",
      width: image.width,
      height: image.height,
      sha256: image.sha256,
      originalSha256: image.originalSha256,
      perceptualHash: image.perceptualHash,
      telegramFileUniqueId: file.fileUniqueId,
      takenAt: image.evidence.takenAt,
      latitude: image.evidence.latitude,
      longitude: image.evidence.longitude,
    };
  } catch (error) {
    if (error instanceof ImageRejectedError) return error.reason;
    logger.error({ err: error, reporter: ctx.pseudonym }, "sanitizer failed unexpectedly");
    return "corrupt";
  }
}

/**
 * A reporter's answer to a moderator's question. Runs before the report conversation: a reporter with an open
 * question and no report in progress answers the question with their next text or photos. Anything else (a
 * command, a report being filled in, no open question) goes on to the other features untouched.
 */
export function reporterAnswers(desk: ModerationDesk, i18n: I18n<BotContext>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on(["message:text", "message:photo", "message:document"], async (ctx, next) => {
    const message = ctx.message;
    if (message.text?.startsWith("/") || !ctx.pseudonym) return next();
    if (Object.keys(ctx.conversation.active()).length > 0) return next();
    const reporter = await findReporter(ctx.app.db, ctx.pseudonym);
    if (!reporter) return next();
    const lookup = {
      replyToMessageId: message.reply_to_message?.message_id,
      mediaGroupId: message.media_group_id,
    };
    const request = await pendingQuestion(ctx.app.db, reporter.id, lookup);
    if (!request) return next();
    // A report in progress takes the message, unless it continues an answer just given (an album's next part).
    const albumPart = message.media_group_id !== undefined && request.answer_media_group === message.media_group_id;
    if (!albumPart && (await findDraftOfReporter(ctx.app.db, ctx.pseudonym))) return next();

    const file = incomingFile(ctx);
    let photo: AnswerPhoto | undefined;
    if (file) {
      const cleaned = await cleanPhoto(ctx, file);
      if (typeof cleaned === "string") {
        await ctx.reply(ctx.t("moderation-answer-photo-rejected", { reason: ctx.t(`moderation-photo-problem-${cleaned}`) }));
        return;
      }
      photo = cleaned;
    }
    const text = message.text ?? message.caption;
    const result = await receiveInfo(
      { db: ctx.app.db, takeTimeoutHours: ctx.app.config.takeTimeoutHours },
      { reporterId: reporter.id, text, photo, ...lookup },
    );
    if (!result) return next();
    ctx.app.logger.info({ case: result.case.ref, photo: result.photoId !== undefined }, "reporter answered a question");

    const t = translator(i18n, ctx.app.config.defaultLocale);
    const ref = result.case.ref;
    if (result.event.text) {
      await desk.postToModerators(result.case.id, result.request.asked_by, {
        text: t("moderation-answer-text", { ref, text: result.event.text }),
      });
    }
    if (photo) {
      await desk.postToModerators(result.case.id, result.request.asked_by, {
        photo: { data: photo.data, mime: photo.mime },
        caption: t("moderation-answer-photo", { ref }),
      });
    }
    if (result.first) {
      await desk.refreshCards([result.case.id]);
      await ctx.reply(ctx.t("moderation-answer-thanks", { ref }));
    } else if (!albumPart) {
      await ctx.reply(ctx.t("moderation-answer-added", { ref }));
    }
  });
  return composer;
}
