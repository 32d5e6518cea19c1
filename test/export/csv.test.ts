import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Column } from "../../src/export/columns.js";
import { CsvWriter, neutralizeFormula } from "../../src/export/csv.js";

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const pieces = [",", '"', '""', "\r", "\n", "\r\n", " ", "а", "ї", "Ґ", "b", "=", "+", "-", "@", "\t", ";", "'", "€", "😀"];

describe("CSV writer", () => {
  it("round-trips thousands of random texts made of separators, quotes, line breaks and Cyrillic through a CSV parser", async () => {
    const next = random(20260201);
    const rows = Array.from({ length: 2000 }, () =>
      Array.from({ length: 3 }, () => Array.from({ length: Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join("")),
    );
    const columns: Column<string[]>[] = [0, 1, 2].map((i) => ({ header: `c${i}`, kind: "text", width: 10, value: (row) => row[i]! }));
    const chunks: Buffer[] = [];
    const writer = new CsvWriter({ write: async (chunk) => void chunks.push(Buffer.from(chunk)) }, columns);
    for (let i = 0; i < rows.length; i += 300) await writer.writeRows(rows.slice(i, i + 300));
    await writer.end();
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.startsWith("\uFEFFc0,c1,c2\r\n")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const parsed = parse(text, { bom: true, from_line: 2 }) as string[][];
    expect(parsed).toEqual(rows.map((row) => row.map((cell) => (cell === "" ? "" : neutralizeFormula(cell)))));
  });

  it("neutralises exactly the cells a spreadsheet would read as a formula", () => {
    for (const formula of ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(neutralizeFormula(formula)).toBe(`'${formula}`);
    }
    for (const text of ["Ноутбук", "a=b", " =1", "'=1", "1-2", ""]) expect(neutralizeFormula(text)).toBe(text);
  });

  it("writes the header alone when there are no rows", async () => {
    const chunks: string[] = [];
    const writer = new CsvWriter<string[]>({ write: async (chunk) => void chunks.push(chunk.toString()) }, [
      { header: "reference", kind: "text", width: 10, value: (r) => r[0]! },
    ]);
    await writer.end();
    expect(chunks.join("")).toBe("\uFEFFreference\r\n");
  });
});
