import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.js";
import { deleteWithdrawnPhotos } from "../../src/jobs/withdrawn-retention.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { eventsOf, insertCase } from "../moderation/fixtures.js";

const DAY = 24 * 60 * 60 * 1000;
const photo = () => ({ data: randomBytes(200), perceptualHash: randomBytes(8).toString("hex") });

/** A case withdrawn `daysAgo` days before `now`, as intake's /withdraw leaves it (status and audit event). */
async function withdrawnCase(db: Db, now: Date, daysAgo: number, photos = 2) {
  const c = await insertCase(db, { photos: Array.from({ length: photos }, photo) });
  const at = new Date(now.getTime() - daysAgo * DAY);
  await db.updateTable("cases").set({ status: "withdrawn", updated_at: now }).where("id", "=", c.id).execute();
  await db
    .insertInto("case_events")
    .values({ case_id: c.id, actor_kind: "reporter", kind: "withdrawn", from_status: "new", to_status: "withdrawn", created_at: at })
    .execute();
  return c;
}

async function photosOf(db: Db, caseId: string) {
  return db.selectFrom("photos").select(["data", "data_deleted_at", "sha256", "perceptual_hash"]).where("case_id", "=", caseId).execute();
}

describe("withdrawn cases' photos after WITHDRAWN_RETENTION_DAYS", () => {
  let database: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    database = await createTestDatabase();
    db = database.db;
  });
  afterEach(async () => {
    await database.close();
  });

  it("deletes the bytes of cases withdrawn longer ago than the retention, counted from the withdrawal, keeping hashes and events", async () => {
    const now = new Date();
    const old = await withdrawnCase(db, now, 31, 3);
    const recent = await withdrawnCase(db, now, 29);
    const active = await insertCase(db, { photos: [photo()] });
    await db.updateTable("cases").set({ submitted_at: new Date(now.getTime() - 400 * DAY), updated_at: new Date(now.getTime() - 400 * DAY) }).where("id", "=", active.id).execute();

    expect(await deleteWithdrawnPhotos(db, { retentionDays: 30, now, batchSize: 2 })).toEqual({ photos: 3 });
    for (const p of await photosOf(db, old.id)) {
      expect(p).toMatchObject({ data: null, data_deleted_at: now });
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.perceptual_hash).toMatch(/^[0-9a-f]{16}$/);
    }
    expect((await photosOf(db, recent.id)).every((p) => p.data !== null)).toBe(true);
    expect((await photosOf(db, active.id)).every((p) => p.data !== null)).toBe(true);
    const events = (await eventsOf(db, old.id)).filter((e) => e.kind === "photos_deleted");
    expect(events.map((e) => [e.actor_kind, e.data])).toEqual([
      ["system", { photos: 2, reason: "withdrawn_retention" }],
      ["system", { photos: 1, reason: "withdrawn_retention" }],
    ]);
    expect((await eventsOf(db, old.id)).map((e) => e.kind).slice(0, 2)).toEqual(["submitted", "withdrawn"]);

    expect(await deleteWithdrawnPhotos(db, { retentionDays: 30, now })).toEqual({ photos: 0 });
    const later = new Date(now.getTime() + 2 * DAY);
    expect(await deleteWithdrawnPhotos(db, { retentionDays: 30, now: later })).toEqual({ photos: 2 });
  });

  it("several processes at once delete each photo once", async () => {
    const now = new Date();
    const cases = [];
    for (let i = 0; i < 6; i++) cases.push(await withdrawnCase(db, now, 40, 5));
    const runs = await Promise.all(Array.from({ length: 3 }, () => deleteWithdrawnPhotos(db, { retentionDays: 30, now, batchSize: 4 })));
    expect(runs.reduce((sum, r) => sum + r.photos, 0)).toBe(30);
    const remaining = await db.selectFrom("photos").select("id").where("data", "is not", null).execute();
    expect(remaining).toEqual([]);
    const counted = await db.selectFrom("case_events").select("data").where("kind", "=", "photos_deleted").execute();
    expect(counted.reduce((sum, e) => sum + Number((e.data as { photos: number }).photos), 0)).toBe(30);
  });
});
