import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureReporter } from "../../src/db/reporters.js";
import { expireAbandonedDrafts } from "../../src/jobs/drafts-ttl.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2025-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe(`abandoned drafts expire after DRAFT_TTL_DAYS on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let reporterId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    reporterId = (await ensureReporter(database.db, randomBytes(32).toString("hex"), "uk")).id;
  });

  afterAll(async () => {
    await database?.close();
  });

  beforeEach(async () => {
    await database.db.deleteFrom("photos").execute();
    await database.db.deleteFrom("drafts").execute();
    await database.db.deleteFrom("bot_storage").execute();
  });

  async function draft(key: string, touched: Date, photos: number): Promise<void> {
    await database.db
      .insertInto("drafts")
      .values({ draft_key: key, reporter_id: reporterId, step: "items", answers: "{}", created_at: touched, updated_at: touched })
      .execute();
    for (let i = 0; i < photos; i++) await photo(key, touched);
  }

  async function photo(draftKey: string, created: Date): Promise<void> {
    const data = randomBytes(64);
    await database.db
      .insertInto("photos")
      .values({
        draft_key: draftKey,
        data,
        mime: "image/jpeg",
        width: 10,
        height: 10,
        size_bytes: data.length,
        sha256: hex(data),
        original_sha256: hex(data),
        perceptual_hash: "0123456789abcdef",
        telegram_file_unique_id: randomBytes(8).toString("hex"),
        created_at: created,
      })
      .execute();
  }

  const keysLeft = async () =>
    (await database.db.selectFrom("drafts").select("draft_key").orderBy("draft_key").execute()).map((r) => r.draft_key);
  const photosOf = async (key: string) =>
    (await database.db.selectFrom("photos").select("id").where("draft_key", "=", key).execute()).length;

  it("deletes drafts untouched for longer than the TTL with their photos, and keeps the others", async () => {
    await draft("old-1", daysAgo(15), 2);
    await draft("old-2", daysAgo(30), 0);
    await draft("recent", daysAgo(13), 3);
    const result = await expireAbandonedDrafts(database.db, { ttlDays: 14, now });
    expect(result).toMatchObject({ drafts: 2, photos: 2 });
    expect(await keysLeft()).toEqual(["recent"]);
    expect(await photosOf("old-1")).toBe(0);
    expect(await photosOf("recent")).toBe(3);
  });

  it("sweeps photos whose draft is gone, but not one stored a moment ago", async () => {
    await photo("cancelled-long-ago", daysAgo(2));
    await photo("just-now", now);
    const result = await expireAbandonedDrafts(database.db, { ttlDays: 14, now });
    expect(result.photos).toBe(1);
    expect(await photosOf("cancelled-long-ago")).toBe(0);
    expect(await photosOf("just-now")).toBe(1);
  });

  it("drops the waiting conversation of a session as old, and keeps the language chosen there", async () => {
    const value = (conversation: boolean) =>
      JSON.stringify({ locale: "en", ...(conversation ? { conversations: { v: 1, state: {} } } : {}) });
    await database.db
      .insertInto("bot_storage")
      .values([
        { key: "session:stale", value: value(true), updated_at: daysAgo(20) },
        { key: "session:active", value: value(true), updated_at: daysAgo(1) },
      ])
      .execute();
    const result = await expireAbandonedDrafts(database.db, { ttlDays: 14, now });
    expect(result.conversations).toBe(1);
    const rows = await database.db.selectFrom("bot_storage").select(["key", "value"]).orderBy("key").execute();
    expect(rows).toEqual([
      { key: "session:active", value: { locale: "en", conversations: { v: 1, state: {} } } },
      { key: "session:stale", value: { locale: "en" } },
    ]);
  });

  it("works through a backlog larger than one batch", async () => {
    for (let i = 0; i < 25; i++) await draft(`backlog-${String(i).padStart(2, "0")}`, daysAgo(20), i % 3 === 0 ? 1 : 0);
    const result = await expireAbandonedDrafts(database.db, { ttlDays: 14, now, batchSize: 7 });
    expect(result).toMatchObject({ drafts: 25, photos: 9 });
    expect(await keysLeft()).toEqual([]);
  });

  // Row locks need the real server: PGlite runs one statement at a time.
  it.skipIf(testDatabaseKind !== "postgres")("runs on several processes at once without deleting a draft twice or failing", async () => {
    for (let i = 0; i < 60; i++) await draft(`shared-${String(i).padStart(2, "0")}`, daysAgo(20), 1);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => expireAbandonedDrafts(database.db, { ttlDays: 14, now, batchSize: 5 })),
    );
    expect(runs.reduce((sum, run) => sum + run.drafts, 0)).toBe(60);
    expect(runs.reduce((sum, run) => sum + run.photos, 0)).toBe(60);
    expect(await keysLeft()).toEqual([]);
  });

  it.skipIf(testDatabaseKind !== "postgres")("leaves a draft alone while a submit holds it", async () => {
    await draft("being-submitted", daysAgo(20), 1);
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const submit = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom("drafts").select("draft_key").where("draft_key", "=", "being-submitted").forUpdate().execute();
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    const result = await expireAbandonedDrafts(database.db, { ttlDays: 14, now });
    release();
    await submit;
    expect(result.drafts).toBe(0);
    expect(await keysLeft()).toEqual(["being-submitted"]);
  });
});
