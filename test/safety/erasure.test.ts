import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/connect.js";
import type { CaseStatus } from "../../src/db/types.js";
import { eraseReporter, previewErasure } from "../../src/privacy/erasure.js";
import { createPseudonymizer } from "../../src/privacy/pseudonym.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { eventsOf, insertCase, insertReporter, testKeys } from "../moderation/fixtures.js";

const keys = testKeys();
const pseudonymOf = createPseudonymizer(keys.pseudonymKey);
const photo = () => ({ data: randomBytes(300), perceptualHash: randomBytes(8).toString("hex") });

async function caseWithStatus(db: Db, reporterId: string, status: CaseStatus, photos = 1) {
  const c = await insertCase(db, { reporterId, photos: Array.from({ length: photos }, photo) });
  await db.updateTable("cases").set({ status }).where("id", "=", c.id).execute();
  return c;
}

async function draftWithPhoto(db: Db, reporterId: string) {
  const draftKey = `draft-${randomBytes(4).toString("hex")}`;
  await db.insertInto("drafts").values({ draft_key: draftKey, reporter_id: reporterId, step: "photos", answers: "{}" }).execute();
  const p = photo();
  await db
    .insertInto("photos")
    .values({
      draft_key: draftKey,
      data: p.data,
      mime: "image/jpeg",
      width: 10,
      height: 10,
      size_bytes: p.data.length,
      sha256: "a".repeat(64),
      original_sha256: "b".repeat(64),
      perceptual_hash: p.perceptualHash,
      telegram_file_unique_id: "u1",
    })
    .execute();
  return draftKey;
}

describe("eraseReporter", () => {
  let database: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    database = await createTestDatabase();
    db = database.db;
  });
  afterEach(async () => {
    await database.close();
  });

  it("withdraws what is not verified and deletes its photos, keeps verified cases unlinked, deletes drafts, the reporter and the session", async () => {
    const telegramId = 7340000001;
    const reporter = await insertReporter(db, keys, telegramId, { contact: true });
    const other = await insertReporter(db, keys, 7340000002, { contact: true });
    const cases = {
      new: await caseWithStatus(db, reporter.id, "new", 2),
      in_review: await caseWithStatus(db, reporter.id, "in_review"),
      needs_info: await caseWithStatus(db, reporter.id, "needs_info"),
      rejected: await caseWithStatus(db, reporter.id, "rejected"),
      duplicate: await caseWithStatus(db, reporter.id, "duplicate"),
      withdrawn: await caseWithStatus(db, reporter.id, "withdrawn"),
      verified: await caseWithStatus(db, reporter.id, "verified", 2),
    };
    const othersCase = await caseWithStatus(db, other.id, "new");
    const draftKey = await draftWithPhoto(db, reporter.id);
    const sessionKey = `session:${pseudonymOf(telegramId)}`;
    await db.insertInto("bot_storage").values([
      { key: sessionKey, value: JSON.stringify({ locale: "uk" }) },
      { key: `session:${pseudonymOf(7340000002)}`, value: JSON.stringify({ locale: "en" }) },
    ]).execute();

    expect(await previewErasure(db, pseudonymOf(telegramId))).toEqual({ known: true, toWithdraw: 5, toKeep: 1, draft: true });
    const now = new Date();
    const result = await eraseReporter(db, pseudonymOf(telegramId), { sessionKey, now });
    expect(result.found).toBe(true);
    expect(result.withdrawn.sort()).toEqual([cases.new, cases.in_review, cases.needs_info, cases.rejected, cases.duplicate].map((c) => c.ref).sort());
    expect(result.kept).toEqual([cases.verified.ref]);
    expect(result.alreadyWithdrawn).toEqual([cases.withdrawn.ref]);
    expect(result.photosDeleted).toBe(7);
    expect(result.drafts).toBe(1);

    for (const [from, c] of Object.entries(cases)) {
      const row = await db.selectFrom("cases").selectAll().where("id", "=", c.id).executeTakeFirstOrThrow();
      expect(row.reporter_id).toBeNull();
      expect(row.status).toBe(from === "verified" ? "verified" : "withdrawn");
      const photos = await db.selectFrom("photos").selectAll().where("case_id", "=", c.id).execute();
      for (const p of photos) {
        // Hashes stay with the record whatever happens to the bytes.
        expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
        if (from === "verified") {
          expect(p.data).not.toBeNull();
        } else {
          expect(p.data).toBeNull();
          expect(p.data_deleted_at).toEqual(now);
        }
      }
      const kinds = (await eventsOf(db, c.id)).map((e) => [e.kind, e.actor_kind, e.from_status, e.to_status]);
      const withdrawal = from === "verified" || from === "withdrawn" ? [] : [["withdrawn", "reporter", from, "withdrawn"]];
      const photosEvent = from === "verified" ? [] : [["photos_deleted", "system", null, null]];
      expect(kinds).toEqual([["submitted", "reporter", null, "new"], ...withdrawal, ...photosEvent, ["reporter_unlinked", "reporter", null, null]]);
    }
    expect(await db.selectFrom("reporters").select("id").where("id", "=", reporter.id).execute()).toEqual([]);
    expect(await db.selectFrom("drafts").select("draft_key").execute()).toEqual([]);
    expect(await db.selectFrom("photos").select("id").where("draft_key", "=", draftKey).execute()).toEqual([]);
    expect((await db.selectFrom("bot_storage").select("key").execute()).map((r) => r.key)).toEqual([`session:${pseudonymOf(7340000002)}`]);

    // Someone else's reports are untouched.
    const untouched = await db.selectFrom("cases").selectAll().where("id", "=", othersCase.id).executeTakeFirstOrThrow();
    expect(untouched).toMatchObject({ status: "new", reporter_id: other.id });
    expect((await db.selectFrom("photos").select("data").where("case_id", "=", othersCase.id).execute())[0]!.data).not.toBeNull();

    // Nothing is left to find under the pseudonym: a second erasure finds nothing and changes nothing.
    expect(await previewErasure(db, pseudonymOf(telegramId))).toEqual({ known: false, toWithdraw: 0, toKeep: 0, draft: false });
    const eventsBefore = await db.selectFrom("case_events").select("id").execute();
    expect(await eraseReporter(db, pseudonymOf(telegramId), { sessionKey })).toMatchObject({ found: false, withdrawn: [], photosDeleted: 0 });
    expect(await db.selectFrom("case_events").select("id").execute()).toEqual(eventsBefore);
  });

  it("a person with no reporter row has nothing erased but their session", async () => {
    const sessionKey = `session:${pseudonymOf(7340000009)}`;
    await db.insertInto("bot_storage").values({ key: sessionKey, value: JSON.stringify({ locale: "en" }) }).execute();
    expect(await eraseReporter(db, pseudonymOf(7340000009), { sessionKey })).toMatchObject({ found: false });
    expect(await db.selectFrom("bot_storage").select("key").execute()).toEqual([]);
  });
});
