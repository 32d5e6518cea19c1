import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDraftOfReporter } from "../../src/db/drafts.js";
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
});
