import type { ExportFilters } from "../db/export-queries.js";
import type { ExportFormat } from "./filters.js";

/** Who made an export: a staff member through the bot, or whoever ran the command on the server. */
export type ExportedBy = { kind: "staff"; id: number; name: string | null } | { kind: "cli"; user: string };

/** What every export says about itself (JSON header, bundle manifest, audit log). */
export interface ExportInfo {
  exportedAt: string;
  exportedBy: ExportedBy;
  filters: ExportFilters;
}

export interface ExportCounts {
  cases: number;
  items: number;
  photos: number;
  /** Cases with a point, the features of the GeoJSON. */
  mapped: number;
}

export interface ExportedFile {
  /** The file's name as delivered. */
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export interface ExportResult extends ExportInfo {
  format: ExportFormat;
  counts: ExportCounts;
  files: ExportedFile[];
}

export interface ExportProgress {
  /** Cases read so far, of `total` (counted when the export began). */
  done: number;
  total: number;
}
