import { stringify } from "csv-stringify/sync";
import type { CellKind, CellValue, Column } from "./columns.js";
import type { ChunkSink } from "./output.js";

/** Spreadsheet programs read a UTF-8 file as UTF-8 (and Cyrillic as Cyrillic) only when it starts with this. */
const BOM = "\uFEFF";

/**
 * A cell a spreadsheet would take for a formula (`=HYPERLINK(...)`, `+1`, `-1`, `@SUM`) or whose leading tab or
 * carriage return could hide one gets a leading apostrophe, which the spreadsheet shows as plain text. Only text
 * a person typed or chose is touched: numbers and dates written by the export are never formulas.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvCell(kind: CellKind, value: CellValue): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (kind === "text") return neutralizeFormula(String(value));
  return String(value);
}

/**
 * One CSV file (RFC 4180: fields with commas, quotes or line breaks quoted, quotes doubled, CRLF between records),
 * written a batch of rows at a time so memory holds one page, never the file.
 */
export class CsvWriter<T> {
  private started = false;

  constructor(
    private readonly out: ChunkSink,
    private readonly columns: Column<T>[],
  ) {}

  async writeRows(rows: Iterable<T>): Promise<void> {
    const records: string[][] = [];
    if (!this.started) records.push(this.columns.map((c) => c.header));
    for (const row of rows) records.push(this.columns.map((c) => csvCell(c.kind, c.value(row))));
    if (records.length === 0) return;
    const text = stringify(records, { record_delimiter: "windows" });
    await this.out.write(this.started ? text : BOM + text);
    this.started = true;
  }

  /** A file with no rows still has its header. */
  async end(): Promise<void> {
    if (!this.started) await this.writeRows([]);
  }
}
