import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Composer, InputFile } from "grammy";
import type { Staff } from "../../../db/types.js";
import {
  type ExportFilters,
  type ExportFormat,
  type FilterProblem,
  exportFormats,
  filtersAsCliOptions,
  isExportFormat,
  parseFilterWords,
} from "../../../export/filters.js";
import type { ExportResult } from "../../../export/info.js";
import { auditExport, fileExtensions, runExport } from "../../../export/run-export.js";
import type { BotContext } from "../../context.js";
import { authorize } from "../moderation/authorize.js";

export interface ExportFeatureOptions {
  /**
   * The largest file the bot sends. The public Bot API takes uploads up to 50 MB; counted in decimal megabytes
   * so the multipart wrapping of a file just under the limit cannot push it over.
   */
  maxUploadBytes?: number;
  /** The progress message is edited at most this often (Telegram limits edits too). */
  progressIntervalMs?: number;
  /** Cases read per query; tests make it small to see several pages. */
  pageSize?: number;
}

const DEFAULT_MAX_UPLOAD_BYTES = 50_000_000;

function problemText(ctx: BotContext, problem: FilterProblem): string {
  const { code, ...variables } = problem;
  return ctx.t(`export-problem-${code}`, variables as Record<string, string>);
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/**
 * `/export FORMAT [filters]` for admins, in a private chat with the bot. The export runs apart from the update
 * that asked for it: a large one takes minutes, and holding the update that long would hold the person's chat
 * and, in webhook mode, make Telegram deliver the command again. One export runs at a time per process.
 * Anyone else, and admins in a group, get what an unknown command gets.
 */
export function exportFeature(options: ExportFeatureOptions = {}): Composer<BotContext> {
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const progressIntervalMs = options.progressIntervalMs ?? 3_000;
  const composer = new Composer<BotContext>();
  let running = false;

  composer.chatType("private").command("export", async (ctx, next) => {
    const admin = await authorize(ctx, "admin");
    if (!admin) return next();
    const [word = "", ...filterWords] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const format = word.toLowerCase();
    if (!isExportFormat(format)) {
      const lines = word ? [ctx.t("export-unknown-format", { format: word.slice(0, 20) }), ""] : [];
      await ctx.reply([...lines, ctx.t("export-usage", { formats: exportFormats.join(", ") })].join("\n"));
      return;
    }
    const parsed = parseFilterWords(filterWords);
    if (!parsed.ok) {
      await ctx.reply(problemText(ctx, parsed.problem));
      return;
    }
    if (running) {
      await ctx.reply(ctx.t("export-busy"));
      return;
    }
    running = true;
    const release = () => {
      running = false;
    };
    try {
      const status = await ctx.reply(ctx.t("export-started", { format }));
      void produce(ctx, admin, format, parsed.filters, status.message_id, release);
    } catch (error) {
      release();
      throw error;
    }
  });

  /** `release` frees the slot once the files are written: uploading them needs neither the database nor memory. */
  async function produce(
    ctx: BotContext,
    admin: Staff,
    format: ExportFormat,
    filters: ExportFilters,
    statusId: number,
    release: () => void,
  ): Promise<void> {
    const { db, logger } = ctx.app;
    const chatId = ctx.chat!.id;
    let shown = "";
    const show = async (text: string) => {
      if (text === shown) return;
      shown = text;
      // A lost progress edit is harmless: the file or the error message follows anyway.
      await ctx.api.editMessageText(chatId, statusId, text).catch((error: unknown) => logger.warn({ err: error }, "export progress not shown"));
    };
    let dir: string | undefined;
    try {
      dir = await mkdtemp(path.join(os.tmpdir(), "svidok-bot-export-"));
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
      const destination = format === "csv" ? path.join(dir, "csv") : path.join(dir, `svidok-cases-${stamp}.${fileExtensions[format]}`);
      let lastShown = Date.now();
      let progress = Promise.resolve();
      const result = await runExport({
        db,
        format,
        filters,
        exportedBy: { kind: "staff", id: admin.user_id, name: admin.display_name },
        destination,
        workDir: dir,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        onProgress: ({ done, total }) => {
          if (done === 0 || done === total || Date.now() - lastShown < progressIntervalMs) return;
          lastShown = Date.now();
          progress = progress.then(() => show(ctx.t("export-progress", { done, total })));
        },
      });
      await progress;
      await deliver(ctx, result, filters, show, release);
    } catch (error) {
      logger.error({ err: error, format }, "export failed");
      await show(ctx.t("export-failed"));
    } finally {
      release();
      if (dir) await rm(dir, { recursive: true, force: true }).catch((error: unknown) => logger.warn({ err: error }, "export files not removed"));
    }
  }

  async function deliver(
    ctx: BotContext,
    result: ExportResult,
    filters: ExportFilters,
    show: (text: string) => Promise<void>,
    release: () => void,
  ) {
    const { db, logger } = ctx.app;
    const largest = Math.max(...result.files.map((f) => f.size));
    // Logged before anything leaves, so a file that reached Telegram is never missing from the audit log.
    if (largest > maxUploadBytes) {
      await auditExport(db, result, "not_sent_too_large");
      release();
      const out = result.format === "csv" ? "svidok-cases" : `svidok-cases.${fileExtensions[result.format]}`;
      const command = ["npm run export --", "--format", result.format, ...filtersAsCliOptions(filters), "--out", out].join(" ");
      await show(ctx.t("export-too-large", { size: megabytes(largest), limit: megabytes(maxUploadBytes), command }));
      return;
    }
    await auditExport(db, result, "telegram");
    release();
    await show(ctx.t("export-done", { count: result.counts.cases }));
    for (const file of result.files) {
      await ctx.api.sendDocument(ctx.chat!.id, new InputFile(file.path, file.name), {
        caption: ctx.t("export-file-caption", { count: result.counts.cases, sha256: file.sha256 }),
      });
    }
    logger.info({ format: result.format, count: result.counts.cases }, "export sent");
  }

  return composer;
}
