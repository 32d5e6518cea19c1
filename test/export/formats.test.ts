import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { check } from "@placemarkio/check-geojson";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFilters } from "../../src/export/filters.js";
import type { ExportResult } from "../../src/export/info.js";
import { runExport } from "../../src/export/run-export.js";
import { PhotoIntegrityError } from "../../src/export/zip.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import {
  type Dataset,
  formulaDescription,
  MODERATOR_ID,
  plusDescription,
  seedDataset,
  trickyAddress,
  trickyNarrative,
} from "./dataset.js";
import { readZip } from "./read-zip.js";

const run = promisify(execFile);
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

let database: TestDatabase;
let data: Dataset;
let dir: string;
const exportedBy = { kind: "staff", id: MODERATOR_ID, name: "Олена Коваль" } as const;
const now = new Date("2026-02-01T08:00:00.000Z");

beforeAll(async () => {
  database = await createTestDatabase();
  data = await seedDataset(database.db);
  dir = await mkdtemp(path.join(os.tmpdir(), "svidok-export-test-"));
});

afterAll(async () => {
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function exportAs(format: "csv" | "xlsx" | "geojson" | "json" | "zip", name: string): Promise<ExportResult> {
  // A page size of 2 makes the three exported cases span two pages, so page boundaries are exercised.
  return runExport({ db: database.db, format, filters: defaultFilters, exportedBy, destination: path.join(dir, name), now, pageSize: 2 });
}

const exportedRefs = () => [data.rich.ref, data.noPoint.ref, data.abroad.ref];

describe(`export formats read back by independent readers, on ${testDatabaseKind}`, () => {
  it("CSV: BOM, CRLF records, and Cyrillic, commas, quotes and line breaks round-trip through a CSV parser", async () => {
    const result = await exportAs("csv", "csv");
    expect(result.files.map((f) => f.name)).toEqual(["cases.csv", "items.csv"]);
    expect(result.counts).toEqual({ cases: 3, items: 6, photos: 3, mapped: 2 });
    const casesBytes = await readFile(path.join(dir, "csv", "cases.csv"));
    expect([...casesBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result.files[0]!.sha256).toBe(sha256(casesBytes));
    expect(result.files[0]!.size).toBe(casesBytes.length);
    const casesText = casesBytes.toString("utf8");
    expect(casesText.split("\r\n")[0]).toMatch(/^\uFEFFreference,status,role,submitted_at_utc,/);

    const cases = parse(casesText, { bom: true, columns: true }) as Record<string, string>[];
    expect(cases.map((c) => c.reference)).toEqual(exportedRefs());
    const rich = cases[0]!;
    expect(rich.narrative).toBe(trickyNarrative);
    expect(rich.address).toBe(trickyAddress);
    expect(rich.status).toBe("verified");
    expect(rich.submitted_at_utc).toBe("2026-01-10T09:15:00.123Z");
    expect(rich.incident_date).toBe("2024-03-01");
    expect(rich.latitude).toBe("50.5432");
    expect(rich.longitude).toBe("30.2123");
    expect(rich.item_count).toBe("3");
    expect(rich.categories).toBe("electronics;jewellery;vehicle");
    expect(rich.photo_count).toBe("3");
    // A leading minus is a formula to a spreadsheet.
    expect(rich.perpetrator_units).toBe("'-V- на бортах");
    expect(cases[2]!.incident_date).toBe("2022-04");
    expect(cases[1]!.latitude).toBe("");

    const items = parse(await readFile(path.join(dir, "csv", "items.csv")), { bom: true, columns: true }) as Record<string, string>[];
    expect(items.map((i) => [i.case_reference, i.position])).toEqual([
      [data.rich.ref, "1"],
      [data.rich.ref, "2"],
      [data.rich.ref, "3"],
      [data.noPoint.ref, "1"],
      [data.abroad.ref, "1"],
      [data.abroad.ref, "2"],
    ]);
    expect(items[0]).toMatchObject({ description: "Ноутбук Lenovo, сірий", value_amount: "25000.50", value_currency: "UAH", identifier: "PF1ABC23" });
    expect(items[1]!.description).toBe(`'${formulaDescription}`);
    expect(items[1]!.quantity).toBe("2");
    expect(items[2]!.description).toBe(`'${plusDescription}`);
    expect(items[2]!.identifier_valid).toBe("true");
  });

  it("XLSX: sheets Cases and Items, header frozen, dates as dates, a formula-like text kept as text", async () => {
    const result = await exportAs("xlsx", "cases.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(result.files[0]!.path);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Cases", "Items"]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    }
    const casesSheet = workbook.getWorksheet("Cases")!;
    const header = (casesSheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    expect(casesSheet.rowCount).toBe(4);
    const rich = casesSheet.getRow(2);
    expect(rich.getCell(column("reference")).value).toBe(data.rich.ref);
    const submitted = rich.getCell(column("submitted_at_utc"));
    expect(submitted.type).toBe(ExcelJS.ValueType.Date);
    expect(Math.abs((submitted.value as Date).getTime() - Date.parse("2026-01-10T09:15:00.123Z"))).toBeLessThan(2);
    const incident = rich.getCell(column("incident_date"));
    expect(incident.type).toBe(ExcelJS.ValueType.Date);
    expect((incident.value as Date).toISOString()).toBe("2024-03-01T00:00:00.000Z");
    expect(incident.numFmt).toBe("yyyy-mm-dd");
    const month = casesSheet.getRow(4).getCell(column("incident_date"));
    expect((month.value as Date).toISOString()).toBe("2022-04-01T00:00:00.000Z");
    expect(month.numFmt).toBe("yyyy-mm");
    expect(rich.getCell(column("narrative")).value).toBe(trickyNarrative.replace("\r\n", "\n"));
    expect(rich.getCell(column("latitude")).value).toBe(50.5432);
    expect(rich.getCell(column("item_count")).value).toBe(3);
    expect(rich.getCell(column("contact_allowed")).value).toBe(true);

    const itemsSheet = workbook.getWorksheet("Items")!;
    expect(itemsSheet.rowCount).toBe(7);
    const itemHeader = (itemsSheet.getRow(1).values as unknown[]).slice(1);
    const formula = itemsSheet.getRow(3).getCell(itemHeader.indexOf("description") + 1);
    // A typed text cell is never evaluated, so the text stays exactly as the reporter wrote it.
    expect(formula.type).toBe(ExcelJS.ValueType.String);
    expect(formula.formula).toBeUndefined();
    expect(formula.value).toBe(formulaDescription);
    expect(itemsSheet.getRow(2).getCell(itemHeader.indexOf("value_amount") + 1).value).toBe(25000.5);
    expect(itemsSheet.getRow(2).getCell(itemHeader.indexOf("case_reference") + 1).value).toBe(data.rich.ref);
  });

  it("GeoJSON: passes a GeoJSON validator, longitude first, only cases with a point", async () => {
    const result = await exportAs("geojson", "cases.geojson");
    const text = await readFile(result.files[0]!.path, "utf8");
    // check() throws on anything that is not valid GeoJSON.
    const parsed = check(text) as unknown as {
      type: string;
      features: { geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    expect(parsed.type).toBe("FeatureCollection");
    expect(parsed.features.map((f) => f.properties.reference)).toEqual([data.rich.ref, data.abroad.ref]);
    for (const feature of parsed.features) {
      expect(feature.geometry.type).toBe("Point");
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    }
    const abroad = parsed.features[1]!;
    expect(abroad.geometry).toEqual({ type: "Point", coordinates: [135.0838, 48.4827] });
    expect(abroad.properties).toMatchObject({
      reference: data.abroad.ref,
      status: "verified",
      role: "trafficking",
      region: "not_in_ukraine",
      date: "2022-04",
      itemCount: 2,
      categories: ["appliances"],
    });
    expect(parsed.features[0]!.geometry).toEqual({ type: "Point", coordinates: [30.2123, 50.5432] });
    expect(result.counts.mapped).toBe(2);
  });

  it("JSON: full cases with items, photo records and audit history", async () => {
    const result = await exportAs("json", "cases.json");
    const doc = JSON.parse(await readFile(result.files[0]!.path, "utf8")) as {
      count: number;
      exportedAt: string;
      exportedBy: unknown;
      filters: unknown;
      cases: { reference: string; narrative: string; items: unknown[]; photos: Record<string, unknown>[]; history: Record<string, unknown>[] }[];
    };
    expect(doc.count).toBe(3);
    expect(doc.exportedAt).toBe(now.toISOString());
    expect(doc.exportedBy).toEqual(exportedBy);
    expect(doc.filters).toEqual(defaultFilters);
    expect(doc.cases.map((c) => c.reference)).toEqual(exportedRefs());
    const rich = doc.cases[0]!;
    expect(rich.narrative).toBe(trickyNarrative);
    expect(rich.items[0]).toEqual({
      position: 1,
      category: "electronics",
      description: "Ноутбук Lenovo, сірий",
      quantity: 1,
      value: { amount: "25000.50", currency: "UAH" },
      identifier: { value: "PF1ABC23", kind: "serial", valid: null },
    });
    const rows = await database.db.selectFrom("photos").selectAll().where("case_id", "=", data.rich.id).orderBy("created_at").execute();
    expect(rich.photos).toHaveLength(3);
    expect(rich.photos[0]).toMatchObject({
      n: 1,
      file: `photos/${data.rich.ref}/1.jpg`,
      mime: "image/jpeg",
      width: 40,
      height: 30,
      sizeBytes: data.photos[0]!.length,
      sha256: sha256(data.photos[0]!),
      originalSha256: rows[0]!.original_sha256,
      evidence: { takenAt: "2022-03-05T10:00:00.000Z", latitude: 50.54, longitude: 30.21 },
      deletedAt: null,
    });
    expect(rich.photos[1]).toMatchObject({ n: 2, file: `photos/${data.rich.ref}/2.png`, mime: "image/png" });
    expect(rich.photos[2]).toMatchObject({ n: 3, file: null });
    expect(rich.photos[2]!.deletedAt).toEqual(expect.any(String));
    expect(rich.history.map((h) => h.kind)).toEqual(["submitted", "taken", "note", "verified"]);
    expect(rich.history[3]).toMatchObject({
      actor: { kind: "staff", id: MODERATOR_ID, name: "Олена Коваль" },
      fromStatus: "in_review",
      toStatus: "verified",
    });
    expect(rich.history[0]).toMatchObject({ actor: { kind: "reporter", id: null, name: null } });
  });

  it("ZIP: every file's hash equals the manifest, and sha256sum -c SHA256SUMS succeeds", async () => {
    const result = await exportAs("zip", "bundle.zip");
    const zipBytes = await readFile(result.files[0]!.path);
    expect(result.files[0]!.sha256).toBe(sha256(zipBytes));
    const entries = await readZip(result.files[0]!.path);
    const photo1 = `photos/${data.rich.ref}/1.jpg`;
    const photo2 = `photos/${data.rich.ref}/2.png`;
    expect([...entries.keys()].sort()).toEqual(
      ["SHA256SUMS", "cases.csv", "cases.geojson", "cases.json", "items.csv", "manifest.json", photo1, photo2].sort(),
    );
    expect(entries.get(photo1)).toEqual(data.photos[0]);
    expect(entries.get(photo2)).toEqual(data.photos[1]);

    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8")) as {
      exportedAt: string;
      exportedBy: unknown;
      filters: unknown;
      counts: unknown;
      files: { path: string; size: number; sha256: string; originalSha256?: string }[];
    };
    expect(manifest.exportedAt).toBe(now.toISOString());
    expect(manifest.exportedBy).toEqual(exportedBy);
    expect(manifest.filters).toEqual(defaultFilters);
    expect(manifest.counts).toEqual({ cases: 3, items: 6, photos: 3, mapped: 2 });
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...entries.keys()].filter((n) => n !== "manifest.json" && n !== "SHA256SUMS").sort());
    for (const file of manifest.files) {
      const bytes = entries.get(file.path)!;
      expect({ path: file.path, size: file.size, sha256: file.sha256 }).toEqual({ path: file.path, size: bytes.length, sha256: sha256(bytes) });
    }
    const originals = await database.db
      .selectFrom("photos")
      .select(["sha256", "original_sha256"])
      .where("case_id", "=", data.rich.id)
      .execute();
    for (const photo of manifest.files.filter((f) => f.path.startsWith("photos/"))) {
      expect(photo.originalSha256).toBe(originals.find((o) => o.sha256 === photo.sha256)!.original_sha256);
    }
    // The bundle holds the same cases in every form.
    const csvRefs = (parse(entries.get("cases.csv")!, { bom: true, columns: true }) as { reference: string }[]).map((r) => r.reference);
    expect(csvRefs).toEqual(exportedRefs());
    expect((JSON.parse(entries.get("cases.json")!.toString("utf8")) as { count: number }).count).toBe(3);

    const extracted = path.join(dir, "extracted");
    for (const [name, bytes] of entries) {
      await mkdir(path.dirname(path.join(extracted, name)), { recursive: true });
      await writeFile(path.join(extracted, name), bytes);
    }
    const sums = entries.get("SHA256SUMS")!.toString("utf8").trim().split("\n");
    expect(sums).toHaveLength(entries.size - 1);
    const verified = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: extracted });
    expect(verified.stdout.trim().split("\n")).toHaveLength(entries.size - 1);
    expect(verified.stdout).not.toMatch(/FAILED/);

    // The check is real: one changed byte in a photo and sha256sum reports it.
    const tampered = Buffer.from(data.photos[1]!);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0xff;
    await writeFile(path.join(extracted, photo2), tampered);
    await expect(run("sha256sum", ["-c", "SHA256SUMS"], { cwd: extracted })).rejects.toMatchObject({ code: 1 });
  });

  it("ZIP: a stored photo that no longer matches its recorded hash stops the export, and no file is left", async () => {
    const other = await createTestDatabase();
    try {
      const seeded = await seedDataset(other.db);
      await sql`update photos set data = ${Buffer.from("not the photo that was received")} where case_id = ${seeded.rich.id} and mime = 'image/png'`.execute(
        other.db,
      );
      const target = path.join(dir, "broken", "bundle.zip");
      await expect(
        runExport({ db: other.db, format: "zip", filters: defaultFilters, exportedBy, destination: target, now }),
      ).rejects.toBeInstanceOf(PhotoIntegrityError);
      expect(await readdir(path.dirname(target))).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
