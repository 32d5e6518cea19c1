import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDraftOfReporter } from "../../src/db/drafts.js";
import { findReportStart } from "../../src/db/reporters.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";

describe(`opening a reporter's draft on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  const reporterRows = (pseudonym: string) =>
    database.db.selectFrom("reporters").select(["id", "locale"]).where("pseudonym", "=", pseudonym).execute();

  it("makes the reporter and a draft at the given step with the given answers", async () => {
    const draft = await openDraftOfReporter(database.db, "b".repeat(64), "en", "role", { items: [], note: "first" });
    const [reporter] = await reporterRows("b".repeat(64));
    expect(reporter).toMatchObject({ locale: "en" });
    expect(draft).toMatchObject({ reporter_id: reporter!.id, step: "role", answers: { items: [], note: "first" } });
    expect(draft.draft_key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives back the open draft when agreed twice, with no second draft and the language brought up to date", async () => {
    const pseudonym = "c".repeat(64);
    const first = await openDraftOfReporter(database.db, pseudonym, "uk", "role", { items: [] });
    const second = await openDraftOfReporter(database.db, pseudonym, "en", "role", { items: [], other: true });
    expect(second.draft_key).toBe(first.draft_key);
    expect(second.answers).toEqual({ items: [] });
    expect(await reporterRows(pseudonym)).toEqual([{ id: first.reporter_id, locale: "en" }]);
    expect(await database.db.selectFrom("drafts").select("draft_key").where("reporter_id", "=", first.reporter_id).execute()).toHaveLength(1);
  });

  it("opens a new draft for a reporter whose earlier one is gone", async () => {
    const pseudonym = "d".repeat(64);
    const first = await openDraftOfReporter(database.db, pseudonym, "uk", "role", { items: [] });
    await database.db.deleteFrom("drafts").where("draft_key", "=", first.draft_key).execute();
    const next = await openDraftOfReporter(database.db, pseudonym, "uk", "role", { items: [] });
    expect(next.draft_key).not.toBe(first.draft_key);
    expect(next.reporter_id).toBe(first.reporter_id);
  });

  it("tells /new the report in progress and how many the person began since a moment", async () => {
    const pseudonym = "e".repeat(64);
    const hourAgo = new Date(Date.now() - 3_600_000);
    expect(await findReportStart(database.db, pseudonym, hourAgo)).toEqual({ open: undefined, startedSince: 0 });
    const first = await openDraftOfReporter(database.db, pseudonym, "uk", "role", { items: [] });
    const started = await findReportStart(database.db, pseudonym, hourAgo);
    expect(started.startedSince).toBe(1);
    expect(started.open).toMatchObject({ draft_key: first.draft_key, step: "role", answers: { items: [] } });
    expect(started.open!.updated_at).toBeInstanceOf(Date);
    await database.db.deleteFrom("drafts").where("draft_key", "=", first.draft_key).execute();
    await database.db
      .insertInto("cases")
      .values({
        ref: "SV-TEST-0E01",
        draft_key: first.draft_key,
        reporter_id: first.reporter_id,
        role: "victim",
        address: "Irpin, Soborna 1",
        region: "kyivska",
        incident_date_precision: "unknown",
        contact_allowed: false,
        consent_version: "1",
        locale: "uk",
      })
      .execute();
    expect(await findReportStart(database.db, pseudonym, hourAgo)).toEqual({ open: undefined, startedSince: 1 });
    expect(await findReportStart(database.db, pseudonym, new Date(Date.now() + 60_000))).toEqual({ open: undefined, startedSince: 0 });
  });
});
