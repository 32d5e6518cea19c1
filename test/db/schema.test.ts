import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotStorage } from "../../src/db/bot-storage.js";
import { ensureReporter } from "../../src/db/reporters.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";

describe(`database schema on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let caseId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const reporter = await ensureReporter(database.db, "a".repeat(64), "uk");
    const row = await database.db
      .insertInto("cases")
      .values({
        ref: "SV-TEST-0001",
        draft_key: "draft-1",
        reporter_id: reporter.id,
        role: "victim",
        incident_date: "2024-03-01",
        incident_date_precision: "day",
        region: "kharkivska",
        contact_allowed: false,
        consent_version: "1",
        locale: "uk",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    caseId = row.id;
    await database.db
      .insertInto("case_events")
      .values({ case_id: caseId, actor_kind: "reporter", kind: "submitted", to_status: "new" })
      .execute();
  });

  afterAll(async () => {
    await database?.close();
  });

  it("refuses UPDATE on case_events", async () => {
    await expect(
      database.db.updateTable("case_events").set({ text: "rewritten" }).where("case_id", "=", caseId).execute(),
    ).rejects.toThrow(/append-only/);
  });

  it("refuses DELETE on case_events", async () => {
    await expect(database.db.deleteFrom("case_events").where("case_id", "=", caseId).execute()).rejects.toThrow(
      /append-only/,
    );
    const rows = await database.db.selectFrom("case_events").select("id").where("case_id", "=", caseId).execute();
    expect(rows).toHaveLength(1);
  });

  it("refuses TRUNCATE on case_events", async () => {
    await expect(sql`truncate case_events`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it("rejects an unknown status, role and category", async () => {
    await expect(
      database.db.updateTable("cases").set({ status: "lost" as never }).where("id", "=", caseId).execute(),
    ).rejects.toThrow(/check constraint/);
    await expect(
      database.db.updateTable("cases").set({ role: "bystander" as never }).where("id", "=", caseId).execute(),
    ).rejects.toThrow(/check constraint/);
    await expect(
      database.db
        .insertInto("case_items")
        .values({ case_id: caseId, position: 1, category: "weapons" as never, description: "x" })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it("keeps case references and draft keys unique", async () => {
    const base = {
      role: "witness" as const,
      incident_date: null,
      incident_date_precision: "unknown" as const,
      address: "Bucha",
      contact_allowed: true,
      consent_version: "1",
      locale: "en" as const,
    };
    await expect(
      database.db.insertInto("cases").values({ ...base, ref: "SV-TEST-0001", draft_key: "draft-2" }).execute(),
    ).rejects.toThrow(/unique|duplicate/i);
    await expect(
      database.db.insertInto("cases").values({ ...base, ref: "SV-TEST-0002", draft_key: "draft-1" }).execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });

  it("returns the same types from both drivers", async () => {
    const row = await database.db
      .selectFrom("cases")
      .select(["incident_date", "submitted_at", sql<number>`count(*) over ()`.as("total")])
      .where("id", "=", caseId)
      .executeTakeFirstOrThrow();
    expect(row.incident_date).toBe("2024-03-01");
    expect(row.submitted_at).toBeInstanceOf(Date);
    expect(row.total).toBe(1);
  });

  it("stores sessions under hashed keys and skips writes of unchanged values", async () => {
    const storage = createBotStorage<{ locale: string; list: number[] }>(database.db, {
      namespace: "session",
      hashKey: (k) => `h(${k})`,
    });
    await storage.write("123", { locale: "uk", list: [1, 2] });
    const keys = await database.db.selectFrom("bot_storage").select("key").execute();
    expect(keys.map((k) => k.key)).toContain("session:h(123)");
    expect(keys.some((k) => k.key.includes(":123"))).toBe(false);
    const value = await storage.read("123");
    expect(value).toEqual({ locale: "uk", list: [1, 2] });
    const before = await database.db.selectFrom("bot_storage").select("updated_at").executeTakeFirstOrThrow();
    await storage.write("123", { list: [1, 2], locale: "uk" });
    const after = await database.db.selectFrom("bot_storage").select("updated_at").executeTakeFirstOrThrow();
    expect(after.updated_at.getTime()).toBe(before.updated_at.getTime());
    await storage.read("123");
    await storage.write("123", { locale: "en", list: [1, 2] });
    expect(await storage.read("123")).toEqual({ locale: "en", list: [1, 2] });
    await storage.delete("123");
    expect(await storage.read("123")).toBeUndefined();
  });
});
