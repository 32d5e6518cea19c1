import type { ExportItemRow } from "../db/export-queries.js";
import { categoriesOf, type ExportCase, incidentDate, regionIso } from "./records.js";

/**
 * `text` is whatever a person typed or chose; `decimal` an exact number kept as text; `date` an ISO date, perhaps
 * of a month only; `timestamp` a moment. Each format renders a kind its own way: CSV as text, XLSX as typed cells.
 */
export type CellKind = "text" | "integer" | "decimal" | "float" | "boolean" | "date" | "timestamp";
export type CellValue = string | number | boolean | Date | null;

export interface Column<T> {
  header: string;
  kind: CellKind;
  /** Spreadsheet column width, in characters. */
  width: number;
  value(row: T): CellValue;
}

export interface ItemOfCase {
  ref: string;
  item: ExportItemRow;
}

export const caseColumns: Column<ExportCase>[] = [
  { header: "reference", kind: "text", width: 14, value: (c) => c.row.ref },
  { header: "status", kind: "text", width: 11, value: (c) => c.row.status },
  { header: "role", kind: "text", width: 11, value: (c) => c.row.role },
  { header: "submitted_at_utc", kind: "timestamp", width: 19, value: (c) => c.row.submitted_at },
  { header: "incident_date", kind: "date", width: 12, value: (c) => incidentDate(c.row) },
  { header: "incident_date_precision", kind: "text", width: 10, value: (c) => c.row.incident_date_precision },
  { header: "region", kind: "text", width: 16, value: (c) => c.row.region },
  { header: "region_iso", kind: "text", width: 8, value: (c) => regionIso(c.row.region) },
  { header: "address", kind: "text", width: 30, value: (c) => c.row.address },
  { header: "latitude", kind: "float", width: 10, value: (c) => c.row.latitude },
  { header: "longitude", kind: "float", width: 10, value: (c) => c.row.longitude },
  { header: "item_count", kind: "integer", width: 6, value: (c) => c.items.length },
  { header: "categories", kind: "text", width: 24, value: (c) => categoriesOf(c.items).join(";") },
  { header: "perpetrator_units", kind: "text", width: 24, value: (c) => c.row.perpetrator_units },
  { header: "perpetrator_vehicles", kind: "text", width: 24, value: (c) => c.row.perpetrator_vehicles },
  { header: "perpetrator_count", kind: "integer", width: 6, value: (c) => c.row.perpetrator_count },
  { header: "perpetrator_words", kind: "text", width: 24, value: (c) => c.row.perpetrator_words },
  { header: "narrative", kind: "text", width: 60, value: (c) => c.row.narrative },
  { header: "photo_count", kind: "integer", width: 6, value: (c) => c.row.photo_count },
  { header: "contact_allowed", kind: "boolean", width: 8, value: (c) => c.row.contact_allowed },
  { header: "duplicate_of", kind: "text", width: 14, value: (c) => c.row.duplicate_of_ref },
  { header: "language", kind: "text", width: 6, value: (c) => c.row.locale },
  { header: "consent_version", kind: "text", width: 8, value: (c) => c.row.consent_version },
  { header: "updated_at_utc", kind: "timestamp", width: 19, value: (c) => c.row.updated_at },
];

export const itemColumns: Column<ItemOfCase>[] = [
  { header: "case_reference", kind: "text", width: 14, value: (i) => i.ref },
  { header: "position", kind: "integer", width: 6, value: (i) => i.item.position },
  { header: "category", kind: "text", width: 14, value: (i) => i.item.category },
  { header: "description", kind: "text", width: 40, value: (i) => i.item.description },
  { header: "quantity", kind: "integer", width: 8, value: (i) => i.item.quantity },
  { header: "value_amount", kind: "decimal", width: 12, value: (i) => i.item.value_amount },
  { header: "value_currency", kind: "text", width: 6, value: (i) => i.item.value_currency },
  { header: "identifier", kind: "text", width: 20, value: (i) => i.item.identifier },
  { header: "identifier_kind", kind: "text", width: 8, value: (i) => i.item.identifier_kind },
  { header: "identifier_valid", kind: "boolean", width: 8, value: (i) => i.item.identifier_valid },
];

export function* itemsOfCase(c: ExportCase): Generator<ItemOfCase> {
  for (const item of c.items) yield { ref: c.row.ref, item };
}
