import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Db } from "../db/connect.js";
import { countExportCases, type ExportActor, exportCasePages, type PageContents, recordExport } from "../db/export-queries.js";
import { caseColumns, type ItemOfCase, itemColumns, itemsOfCase } from "./columns.js";
import { CsvWriter } from "./csv.js";
import type { ExportFilters, ExportFormat } from "./filters.js";
import { GeoJsonWriter } from "./geojson.js";
import type { ExportCounts, ExportedBy, ExportedFile, ExportInfo, ExportProgress, ExportResult } from "./info.js";
import { JsonWriter } from "./json.js";
import { HashedFile } from "./output.js";
import { casesOf, type ExportCase } from "./records.js";
import { XlsxWriter } from "./xlsx.js";
import { BundleWriter } from "./zip.js";

export interface ExportRequest {
  db: Db;
  format: ExportFormat;
  filters: ExportFilters;
  exportedBy: ExportedBy;
  /** The file to write; for CSV, the folder that receives `cases.csv` and `items.csv`. */
  destination: string;
  /** Spool files of XLSX and ZIP exports go under it; default: the system's temporary folder. */
  workDir?: string;
  now?: Date;
  pageSize?: number;
  /** Called after every page of cases. */
  onProgress?: (progress: ExportProgress) => void;
}

/** One format's writing: cases go in a page at a time; `end` finishes every file. */
interface FormatWriter {
  writeCases(cases: ExportCase[]): Promise<void>;
  end(): Promise<void>;
  abort(): void;
}

const contentsByFormat: Record<ExportFormat, PageContents> = {
  csv: { items: true },
  xlsx: { items: true },
  geojson: { items: true },
  json: { items: true, photos: true, events: true },
  zip: { items: true, photos: true, events: true },
};

export const fileExtensions: Record<Exclude<ExportFormat, "csv">, string> = {
  xlsx: "xlsx",
  geojson: "geojson",
  json: "json",
  zip: "zip",
};

function outputPaths(format: ExportFormat, destination: string): string[] {
  return format === "csv" ? [path.join(destination, "cases.csv"), path.join(destination, "items.csv")] : [destination];
}

function writerFor(
  request: ExportRequest,
  info: ExportInfo,
  counts: ExportCounts,
  files: HashedFile[],
  workDir: string,
): FormatWriter {
  const [main, second] = files as [HashedFile, HashedFile | undefined];
  switch (request.format) {
    case "csv": {
      const cases = new CsvWriter<ExportCase>(main, caseColumns);
      const items = new CsvWriter<ItemOfCase>(second!, itemColumns);
      return {
        async writeCases(page) {
          await cases.writeRows(page);
          await items.writeRows(page.flatMap((c) => [...itemsOfCase(c)]));
        },
        async end() {
          await cases.end();
          await items.end();
          main.stream.end();
          second!.stream.end();
        },
        abort() {},
      };
    }
    case "xlsx": {
      const xlsx = new XlsxWriter(main.stream, path.join(workDir, "items.jsonl"));
      return { writeCases: (page) => xlsx.writeCases(page), end: () => xlsx.end(), abort: () => xlsx.abort() };
    }
    case "geojson": {
      const geojson = new GeoJsonWriter(main);
      return {
        writeCases: (page) => geojson.writeCases(page),
        async end() {
          await geojson.end();
          main.stream.end();
        },
        abort() {},
      };
    }
    case "json": {
      const json = new JsonWriter(main, info);
      return {
        writeCases: (page) => json.writeCases(page),
        async end() {
          await json.end();
          main.stream.end();
        },
        abort() {},
      };
    }
    case "zip": {
      const bundle = new BundleWriter(request.db, main.stream, workDir, info, counts);
      return { writeCases: (page) => bundle.writeCases(page), end: () => bundle.end(), abort: () => bundle.abort() };
    }
  }
}

/**
 * Writes one export: the cases the filters select, read page by page and written as they come, so memory does not
 * depend on how many there are. Files are written under a temporary name and renamed only when complete: a
 * failed or interrupted export never leaves a file that looks whole.
 */
export async function runExport(request: ExportRequest): Promise<ExportResult> {
  const { db, format, filters } = request;
  const info: ExportInfo = {
    exportedAt: (request.now ?? new Date()).toISOString(),
    exportedBy: request.exportedBy,
    filters,
  };
  const counts: ExportCounts = { cases: 0, items: 0, photos: 0, mapped: 0 };
  const total = await countExportCases(db, filters);
  const targets = outputPaths(format, request.destination);
  await mkdir(path.dirname(targets[0]!), { recursive: true });
  const workDir = await mkdtemp(path.join(request.workDir ?? os.tmpdir(), "svidok-export-"));
  const files = targets.map((target) => new HashedFile(`${target}.partial`));
  const writer = writerFor(request, info, counts, files, workDir);
  // A broken destination (disk full) fails the export instead of leaving it waiting for a drain that never comes.
  const destinationFailed = Promise.all(files.map((f) => f.finished())).then(() => new Promise<never>(() => undefined));
  destinationFailed.catch(() => undefined);
  const guarded = <T>(work: Promise<T>) => Promise.race([work, destinationFailed]);
  try {
    request.onProgress?.({ done: 0, total });
    for await (const page of exportCasePages(db, filters, contentsByFormat[format], request.pageSize)) {
      const cases = [...casesOf(page)];
      await guarded(writer.writeCases(cases));
      for (const c of cases) {
        counts.cases++;
        counts.items += c.items.length;
        counts.photos += c.row.photo_count;
        if (c.row.latitude !== null && c.row.longitude !== null) counts.mapped++;
      }
      request.onProgress?.({ done: counts.cases, total: Math.max(total, counts.cases) });
    }
    await guarded(writer.end());
    const written = await Promise.all(files.map((f) => f.finished()));
    const exported: ExportedFile[] = [];
    for (const [index, file] of written.entries()) {
      const target = targets[index]!;
      await rename(file.path, target);
      exported.push({ name: path.basename(target), path: target, size: file.size, sha256: file.sha256 });
    }
    return { format, ...info, counts, files: exported };
  } catch (error) {
    writer.abort();
    for (const file of files) file.abort();
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** How an export left the system, for the audit log. */
export type ExportDelivery = "file" | "telegram" | "not_sent_too_large";

/** Writes the export to the audit log: who, when, which filters, how many cases, and every file's hash. */
export async function auditExport(db: Db, result: ExportResult, delivery: ExportDelivery): Promise<void> {
  const actor: ExportActor =
    result.exportedBy.kind === "staff" ? { kind: "staff", userId: result.exportedBy.id } : { kind: "system" };
  await recordExport(db, actor, {
    format: result.format,
    filters: result.filters,
    count: result.counts.cases,
    counts: result.counts,
    exportedAt: result.exportedAt,
    exportedBy: result.exportedBy,
    delivery,
    files: result.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })),
  });
}
