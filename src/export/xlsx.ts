import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { type CellKind, type CellValue, type Column, caseColumns, type ItemOfCase, itemColumns, itemsOfCase } from "./columns.js";
import { createScratchFile, writeChunk } from "./output.js";
import type { ExportCase } from "./records.js";

const formats: Partial<Record<CellKind, string>> = {
  timestamp: "yyyy-mm-dd hh:mm:ss",
  date: "yyyy-mm-dd",
  decimal: "0.00",
};

/** Typed cells: numbers as numbers, moments and days as dates (UTC, as the headers say), a month as a month. */
function setCell(cell: ExcelJS.Cell, kind: CellKind, value: CellValue): void {
  if (value === null) return;
  if (kind === "date" && typeof value === "string") {
    const monthOnly = value.length === 7;
    cell.value = new Date(`${monthOnly ? `${value}-01` : value}T00:00:00Z`);
    cell.numFmt = monthOnly ? "yyyy-mm" : formats.date!;
    return;
  }
  if (kind === "decimal" && typeof value === "string") {
    cell.value = Number(value);
    cell.numFmt = formats.decimal!;
    return;
  }
  // XML reads a bare carriage return as a line feed anyway; a cell's line break is a line feed in every spreadsheet.
  cell.value = typeof value === "string" ? value.replace(/\r\n?/g, "\n") : value;
  const format = formats[kind];
  if (format) cell.numFmt = format;
}

function addSheet<T>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<T>[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", xSplit: 0, ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ key: c.header, width: c.width }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  return sheet;
}

function addRow<T>(sheet: ExcelJS.Worksheet, columns: Column<T>[], row: T): void {
  const excelRow = sheet.addRow([]);
  columns.forEach((column, index) => setCell(excelRow.getCell(index + 1), column.kind, column.value(row)));
  excelRow.commit();
}

/** Sheet XML handed on but not yet taken by the workbook's compressor, beyond which rows wait. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

interface SheetInternals {
  stream?: { pipes?: { writableLength?: number; _writableState?: { length?: number } }[] };
}

/**
 * exceljs's streaming writer takes rows without ever saying it is full: it passes each sheet's XML on to its ZIP
 * compressor unasked, and when rows come faster than they are compressed the difference waits in memory. The
 * compressor's input is the only place that backlog shows, so rows are held back while it is large. If a later
 * exceljs hides it, the backlog reads as zero and rows simply go on unthrottled.
 */
async function waitForCompressor(sheet: ExcelJS.Worksheet): Promise<void> {
  const backlog = () =>
    ((sheet as unknown as SheetInternals).stream?.pipes ?? []).reduce(
      (sum, p) => sum + (p.writableLength ?? p._writableState?.length ?? 0),
      0,
    );
  while (backlog() > MAX_BACKLOG_BYTES) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * One workbook with the sheets Cases and Items, each with its header row frozen. The streaming writer keeps a
 * sheet in memory until the one before it is finished, so items wait in a spool file on disk while the cases are
 * written, and go into their sheet afterwards.
 */
export class XlsxWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly cases: ExcelJS.Worksheet;
  private readonly spool: Writable;

  constructor(
    out: Writable,
    private readonly spoolPath: string,
  ) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    this.workbook.creator = "Svidok";
    this.cases = addSheet(this.workbook, "Cases", caseColumns);
    this.spool = createScratchFile(spoolPath);
  }

  async writeCases(cases: Iterable<ExportCase>): Promise<void> {
    let lines = "";
    for (const c of cases) {
      addRow(this.cases, caseColumns, c);
      for (const item of itemsOfCase(c)) lines += `${JSON.stringify(item)}\n`;
    }
    if (lines) await writeChunk(this.spool, lines);
    await waitForCompressor(this.cases);
  }

  async end(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.spool.end((error?: Error | null) => (error ? reject(error) : resolve())));
    this.cases.commit();
    const items = addSheet(this.workbook, "Items", itemColumns);
    const lines = createInterface({ input: createReadStream(this.spoolPath), crlfDelay: Infinity });
    let count = 0;
    for await (const line of lines) {
      addRow<ItemOfCase>(items, itemColumns, JSON.parse(line) as ItemOfCase);
      if (++count % 1000 === 0) await waitForCompressor(items);
    }
    items.commit();
    await this.workbook.commit();
  }

  abort(): void {
    this.spool.destroy();
  }
}
