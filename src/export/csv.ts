import type { CellKind, CellValue, Column } from "./columns.js";
import { type ChunkSink, TextBatch } from "./output.js";

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

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, and its quotes doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

type Format = (value: CellValue) => string;

/**
 * How each kind of cell is written, chosen once per column. Only text is neutralised and quoted: numbers, dates
 * and moments as the export writes them hold no comma, quote or line break and never start a formula.
 */
function formatFor(kind: CellKind): Format {
  switch (kind) {
    case "text":
      return (value) => (value === null ? "" : csvField(neutralizeFormula(String(value))));
    case "timestamp":
      return (value) => (value instanceof Date ? value.toISOString() : "");
    case "boolean":
      return (value) => (value === null ? "" : value ? "true" : "false");
    default:
      return (value) => (value === null ? "" : String(value));
  }
}

/**
 * One CSV file (RFC 4180: CRLF after every record, fields quoted as `csvField` says), written a batch of rows at a
 * time so memory holds one page, never the file. The quoting is done here rather than by a CSV library: for the
 * few rules RFC 4180 has, a general-purpose one cost about eight times as long, most of an export's time.
 */
export class CsvWriter<T> {
  private started = false;
  private readonly formats: Format[];

  constructor(
    private readonly out: ChunkSink,
    private readonly columns: Column<T>[],
  ) {
    this.formats = columns.map((c) => formatFor(c.kind));
  }

  async writeRows(rows: Iterable<T>): Promise<void> {
    const batch = new TextBatch();
    if (!this.started) batch.add(`${BOM}${this.columns.map((c) => csvField(c.header)).join(",")}\r\n`);
    this.started = true;
    const { columns, formats } = this;
    for (const row of rows) {
      let line = formats[0]!(columns[0]!.value(row));
      for (let i = 1; i < columns.length; i++) line += `,${formats[i]!(columns[i]!.value(row))}`;
      batch.add(`${line}\r\n`);
    }
    const bytes = batch.take();
    if (bytes.length > 0) await this.out.write(bytes);
  }

  /** A file with no rows still has its header. */
  async end(): Promise<void> {
    if (!this.started) await this.writeRows([]);
  }
}
