import { regions } from "../cases/regions.js";
import type { ExportCaseRow, ExportEventRow, ExportItemRow, ExportPage, ExportPhotoRow } from "../db/export-queries.js";

/** A case with everything exported about it. */
export interface ExportCase {
  row: ExportCaseRow;
  items: ExportItemRow[];
  photos: ExportPhotoRow[];
  events: ExportEventRow[];
}

export function* casesOf(page: ExportPage): Generator<ExportCase> {
  for (const row of page.cases) {
    yield {
      row,
      items: page.items.get(row.id) ?? [],
      photos: page.photos.get(row.id) ?? [],
      events: page.events.get(row.id) ?? [],
    };
  }
}

const isoByRegion = new Map<string, string | null>(regions.map((r) => [r.code, r.iso]));

export function regionIso(code: string | null): string | null {
  return code ? (isoByRegion.get(code) ?? null) : null;
}

/** ISO 8601 to the precision the reporter knew: `2024-03-01`, `2024-03` for a month only, nothing when unknown. */
export function incidentDate(row: Pick<ExportCaseRow, "incident_date" | "incident_date_precision">): string | null {
  if (!row.incident_date || row.incident_date_precision === "unknown") return null;
  return row.incident_date_precision === "month" ? row.incident_date.slice(0, 7) : row.incident_date.slice(0, 10);
}

/** Categories of a case's items, each once, in the order the reporter listed them. */
export function categoriesOf(items: ExportItemRow[]): string[] {
  return [...new Set(items.map((i) => i.category))];
}

const extensions: Record<ExportPhotoRow["mime"], string> = { "image/jpeg": "jpg", "image/png": "png" };

/**
 * Where a photo lives in the evidence bundle: `photos/<REF>/<n>.<ext>`, numbered from 1 in the order the photos
 * were received. A photo whose bytes were deleted keeps its number, so the numbers of the others never shift.
 */
export function photoPath(ref: string, n: number, mime: ExportPhotoRow["mime"]): string {
  return `photos/${ref}/${n}.${extensions[mime]}`;
}
