import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countExportCases, exportCasePages, type ExportFilters } from "../../src/db/export-queries.js";
import type { CaseStatus, ReporterRole } from "../../src/db/types.js";
import { defaultFilters, filtersAsCliOptions, parseExportFilters, parseFilterWords } from "../../src/export/filters.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import { insertCase } from "./fixtures.js";

interface Spec {
  status: CaseStatus;
  region: string;
  role: ReporterRole;
  /** Text, so microseconds reach the database as they are. */
  submitted: string;
}

/**
 * Kyiv is UTC+2 in winter: `late` was submitted on 31 January in UTC but on 1 February in Kyiv, where the
 * people choosing dates live; `lastMinute` at 23:59:59 on 31 January in Kyiv. The twins share a submission time
 * to the microsecond, so pages must be cut between them by id.
 */
const specs: Record<string, Spec> = {
  a: { status: "verified", region: "kyivska", role: "victim", submitted: "2026-01-05 10:00:00+00" },
  b: { status: "verified", region: "kharkivska", role: "witness", submitted: "2026-01-20 10:00:00+00" },
  c: { status: "verified", region: "not_in_ukraine", role: "trafficking", submitted: "2026-02-03 10:00:00+00" },
  twin1: { status: "verified", region: "odeska", role: "victim", submitted: "2026-01-25 10:00:00.123456+00" },
  twin2: { status: "verified", region: "odeska", role: "victim", submitted: "2026-01-25 10:00:00.123456+00" },
  late: { status: "verified", region: "kyivska", role: "victim", submitted: "2026-01-31 22:30:00+00" },
  lastMinute: { status: "verified", region: "kyivska", role: "victim", submitted: "2026-01-31 21:59:59.999999+00" },
  d: { status: "new", region: "kyivska", role: "victim", submitted: "2026-01-06 10:00:00+00" },
  e: { status: "in_review", region: "kharkivska", role: "witness", submitted: "2026-01-07 10:00:00+00" },
  f: { status: "rejected", region: "kyivska", role: "victim", submitted: "2026-01-08 10:00:00+00" },
  g: { status: "duplicate", region: "kyivska", role: "witness", submitted: "2026-01-09 10:00:00+00" },
  h: { status: "needs_info", region: "kharkivska", role: "trafficking", submitted: "2026-01-10 10:00:00+00" },
  w1: { status: "withdrawn", region: "kyivska", role: "victim", submitted: "2026-01-05 11:00:00+00" },
  w2: { status: "withdrawn", region: "kharkivska", role: "witness", submitted: "2026-01-21 10:00:00+00" },
  w3: { status: "withdrawn", region: "kyivska", role: "victim", submitted: "2026-02-01 10:00:00+00" },
};

const verified = ["a", "b", "twin1", "twin2", "lastMinute", "late", "c"];

const table: { typed: Record<string, string>; expected: string[] }[] = [
  { typed: {}, expected: verified },
  { typed: { status: "verified" }, expected: verified },
  { typed: { status: "all" }, expected: ["a", "d", "e", "f", "g", "h", "b", "twin1", "twin2", "lastMinute", "late", "c"] },
  { typed: { status: "new,in_review" }, expected: ["d", "e"] },
  { typed: { status: "rejected,duplicate,needs_info" }, expected: ["f", "g", "h"] },
  { typed: { region: "kyivska" }, expected: ["a", "lastMinute", "late"] },
  { typed: { region: "UA-63", status: "all" }, expected: ["e", "h", "b"] },
  { typed: { region: "kyivska,odeska" }, expected: ["a", "twin1", "twin2", "lastMinute", "late"] },
  { typed: { region: "all" }, expected: verified },
  { typed: { role: "trafficking", status: "all" }, expected: ["h", "c"] },
  { typed: { role: "witness" }, expected: ["b"] },
  { typed: { role: "victim,witness", region: "kyivska", status: "all" }, expected: ["a", "d", "f", "g", "lastMinute", "late"] },
  { typed: { from: "2026-01-20" }, expected: ["b", "twin1", "twin2", "lastMinute", "late", "c"] },
  { typed: { to: "2026-01-31" }, expected: ["a", "b", "twin1", "twin2", "lastMinute"] },
  { typed: { from: "2026-02-01", to: "2026-02-01" }, expected: ["late"] },
  { typed: { from: "2026-01-25", to: "2026-01-25" }, expected: ["twin1", "twin2"] },
  { typed: { from: "2026-01-01", to: "2026-01-31", region: "kyivska", role: "victim", status: "verified" }, expected: ["a", "lastMinute"] },
  { typed: { from: "2026-03-01" }, expected: [] },
];

let database: TestDatabase;
const names = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  for (const [name, spec] of Object.entries(specs)) {
    const row = await insertCase(database.db, { status: spec.status, region: spec.region, role: spec.role });
    await database.db.updateTable("cases").set({ submitted_at: sql<Date>`${spec.submitted}::timestamptz` }).where("id", "=", row.id).execute();
    names.set(row.ref, name);
  }
});

afterAll(async () => {
  await database?.close();
});

async function selected(filters: ExportFilters, pageSize: number): Promise<string[]> {
  const found: string[] = [];
  for await (const page of exportCasePages(database.db, filters, {}, pageSize)) {
    expect(page.cases.length).toBeLessThanOrEqual(pageSize);
    found.push(...page.cases.map((c) => names.get(c.ref)!));
  }
  return found;
}

/** The twins may come in either order (their ids decide); everything else in submission order. */
function sortTwins(list: string[]): string[] {
  const first = list.indexOf("twin1") < list.indexOf("twin2") ? "twin1" : "twin2";
  return list.map((n) => (n.startsWith("twin") ? (n === first ? "twin1" : "twin2") : n));
}

describe(`export filters on ${testDatabaseKind}`, () => {
  it.each(table)("$typed selects exactly $expected, withdrawn never", async ({ typed, expected }) => {
    const parsed = parseExportFilters(typed);
    if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.problem)}`);
    for (const pageSize of [1, 2, 1000]) {
      const found = await selected(parsed.filters, pageSize);
      expect(new Set(found).size).toBe(found.length);
      expect(sortTwins(found)).toEqual(expected);
    }
    expect(await countExportCases(database.db, parsed.filters)).toBe(expected.length);
  });

  it("leaves withdrawn cases out even when a caller asks for them past the parser", async () => {
    const filters = { ...defaultFilters, statuses: ["withdrawn", "verified"] } as unknown as ExportFilters;
    expect(await selected(filters, 1000)).toEqual(verified.map((n) => (n.startsWith("twin") ? expect.stringMatching(/^twin/) : n)));
    expect(await countExportCases(database.db, filters)).toBe(verified.length);
  });
});

describe("export filter parsing", () => {
  it.each([
    [{ status: "withdrawn" }, { code: "withdrawn" }],
    [{ status: "verified,withdrawn" }, { code: "withdrawn" }],
    [{ status: "approved" }, { code: "bad_value", name: "status", value: "approved" }],
    [{ status: "" }, { code: "bad_value", name: "status" }],
    [{ region: "atlantis" }, { code: "bad_value", name: "region", value: "atlantis" }],
    [{ role: "soldier" }, { code: "bad_value", name: "role", value: "soldier" }],
    [{ from: "2026-13-01" }, { code: "bad_date", name: "from" }],
    [{ to: "2026-02-30" }, { code: "bad_date", name: "to" }],
    [{ from: "01.02.2026" }, { code: "bad_date", name: "from" }],
    [{ from: "2026-02-02", to: "2026-02-01" }, { code: "empty_range" }],
    [{ colour: "red" }, { code: "unknown_filter", name: "colour" }],
  ])("%j is refused with %j", (typed, problem) => {
    const result = parseExportFilters(typed as Record<string, string>);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject(problem);
  });

  it("reads the words typed after /export, and gives the same selection back as command-line options", () => {
    const result = parseFilterWords(["status=verified,duplicate", "region=UA-32", "from=2026-01-01", "role=witness"]);
    expect(result).toEqual({
      ok: true,
      filters: { ...defaultFilters, statuses: ["verified", "duplicate"], regions: ["kyivska"], roles: ["witness"], submittedFrom: "2026-01-01" },
    });
    if (result.ok) {
      expect(filtersAsCliOptions(result.filters)).toEqual([
        "--status",
        "verified,duplicate",
        "--region",
        "kyivska",
        "--role",
        "witness",
        "--from",
        "2026-01-01",
      ]);
    }
    expect(parseFilterWords(["verified"])).toEqual({ ok: false, problem: { code: "unknown_filter", name: "verified" } });
  });
});
