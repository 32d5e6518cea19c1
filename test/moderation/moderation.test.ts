import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  activeHolder,
  addNote,
  checkBeforeText,
  loadCaseCard,
  markDuplicate,
  markInfoUndelivered,
  type ModerationDeps,
  receiveInfo,
  rejectCase,
  requestInfo,
  takeCase,
  verifyCase,
  viewCase,
} from "../../src/cases/moderation.js";
import { CaseError } from "../../src/cases/transitions.js";
import { caseStats, findCases } from "../../src/db/moderation-queries.js";
import { grantRole, removeStaff, seedAdmins, findActiveStaff } from "../../src/db/staff.js";
import { openContact } from "../../src/privacy/contact-cipher.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import { addStaff, eventsOf, insertCase, insertReporter, snapshot, testKeys } from "./fixtures.js";

const MOD_A = 7001;
const MOD_B = 7002;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaseError) return error.code;
    throw error;
  }
  return undefined;
}

describe(`moderation domain on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let deps: ModerationDeps;
  const keys = testKeys();

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, takeTimeoutHours: 48 };
    await addStaff(database.db, MOD_A, "moderator", "Olena");
    await addStaff(database.db, MOD_B, "moderator", "Taras");
  });

  afterAll(async () => {
    await database?.close();
  });

  describe("status changes", () => {
    it("takes a new case into review with one audit event", async () => {
      const c = await insertCase(database.db);
      const result = await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      expect(result.after.status).toBe("in_review");
      expect(result.after.assignee_id).toBe(MOD_A);
      const events = await eventsOf(database.db, c.id);
      expect(events.map((e) => [e.kind, e.from_status, e.to_status, e.actor_id])).toEqual([
        ["submitted", null, "new", null],
        ["taken", "new", "in_review", MOD_A],
      ]);
    });

    it("refuses a decision on a case nobody took, and changes nothing", async () => {
      const c = await insertCase(database.db);
      const before = await snapshot(database.db);
      expect(await codeOf(verifyCase(deps, { caseId: c.id, actorId: MOD_A }))).toBe("TransitionNotAllowed");
      expect(await snapshot(database.db)).toEqual(before);
    });

    it("refuses to verify a withdrawn case", async () => {
      const c = await insertCase(database.db);
      await database.db.updateTable("cases").set({ status: "withdrawn" }).where("id", "=", c.id).execute();
      const error = await verifyCase(deps, { caseId: c.id, actorId: MOD_A }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaseError);
      expect((error as CaseError).code).toBe("TransitionNotAllowed");
      expect((error as CaseError).details).toMatchObject({ from: "withdrawn", action: "verify" });
      expect(await eventsOf(database.db, c.id)).toHaveLength(1);
    });

    it("verifies a taken case with exactly one event", async () => {
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const result = await verifyCase(deps, { caseId: c.id, actorId: MOD_A });
      expect(result.after.status).toBe("verified");
      const events = await eventsOf(database.db, c.id);
      expect(events.map((e) => e.kind)).toEqual(["submitted", "taken", "verified"]);
      expect(events.at(-1)).toMatchObject({ kind: "verified", from_status: "in_review", to_status: "verified", actor_id: MOD_A });
    });

    it("rejects only with a reason, and keeps the reason in the log", async () => {
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      expect(await codeOf(rejectCase(deps, { caseId: c.id, actorId: MOD_A, reason: "   " }))).toBe("TextRequired");
      expect(await codeOf(rejectCase(deps, { caseId: c.id, actorId: MOD_A, reason: "x".repeat(1001) }))).toBe("TextTooLong");
      await rejectCase(deps, { caseId: c.id, actorId: MOD_A, reason: "Same flat reported twice by mistake" });
      const last = (await eventsOf(database.db, c.id)).at(-1);
      expect(last).toMatchObject({ kind: "rejected", to_status: "rejected", text: "Same flat reported twice by mistake" });
    });

    it("marks a duplicate of an existing case only", async () => {
      const original = await insertCase(database.db);
      const withdrawn = await insertCase(database.db);
      await database.db.updateTable("cases").set({ status: "withdrawn" }).where("id", "=", withdrawn.id).execute();
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      for (const ref of [c.ref, "SV-NONE-XXXX", withdrawn.ref, ""]) {
        expect(await codeOf(markDuplicate(deps, { caseId: c.id, actorId: MOD_A, originalRef: ref }))).toBe(
          "InvalidDuplicateTarget",
        );
      }
      const result = await markDuplicate(deps, { caseId: c.id, actorId: MOD_A, originalRef: original.ref.toLowerCase() });
      expect(result.after).toMatchObject({ status: "duplicate", duplicate_of: original.id });
      expect(result.event?.data).toEqual({ duplicateOf: original.ref, duplicateOfId: original.id });
    });

    it("reports a missing case as CaseNotFound", async () => {
      expect(await codeOf(takeCase(deps, { caseId: "00000000-0000-4000-8000-000000000000", actorId: MOD_A }))).toBe(
        "CaseNotFound",
      );
    });
  });

  describe("custody", () => {
    it("asks another moderator to confirm, then logs the takeover before the action", async () => {
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const before = await snapshot(database.db);
      const error = await verifyCase(deps, { caseId: c.id, actorId: MOD_B }).catch((e: unknown) => e);
      expect((error as CaseError).code).toBe("HeldByAnother");
      expect((error as CaseError).details.holderId).toBe(MOD_A);
      expect(await codeOf(takeCase(deps, { caseId: c.id, actorId: MOD_B }))).toBe("HeldByAnother");
      expect(await snapshot(database.db)).toEqual(before);

      const result = await verifyCase(deps, { caseId: c.id, actorId: MOD_B, takeover: true });
      expect(result.takenOverFrom).toBe(MOD_A);
      const events = await eventsOf(database.db, c.id);
      expect(events.slice(-2).map((e) => [e.kind, e.actor_id, e.data])).toEqual([
        ["taken_over", MOD_B, { from: MOD_A, heldSince: expect.any(String) }],
        ["verified", MOD_B, null],
      ]);
    });

    it("needs no confirmation for a note, and none from the holder", async () => {
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      await addNote(deps, { caseId: c.id, actorId: MOD_B, text: "Same street as SV-case from yesterday" });
      const again = await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      expect(again.event).toBeUndefined();
      expect((await eventsOf(database.db, c.id)).map((e) => e.kind)).toEqual(["submitted", "taken", "note"]);
    });

    it("lets a hold lapse after TAKE_TIMEOUT_HOURS", async () => {
      const c = await insertCase(database.db);
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      await database.db
        .updateTable("cases")
        .set({ assigned_at: sql<Date>`now() - interval '49 hours'` })
        .where("id", "=", c.id)
        .execute();
      const result = await takeCase(deps, { caseId: c.id, actorId: MOD_B });
      expect(result.takenOverFrom).toBeUndefined();
      expect(result.after.assignee_id).toBe(MOD_B);
      expect(result.event?.kind).toBe("taken");
    });

    it("computes the holder at read time", () => {
      const now = new Date("2026-01-03T00:00:00Z");
      const held = { status: "in_review" as const, assignee_id: MOD_A, assigned_at: new Date("2026-01-02T00:00:00Z") };
      expect(activeHolder(held, now, 48)).toBe(MOD_A);
      expect(activeHolder(held, now, 24)).toBeUndefined();
      expect(activeHolder({ ...held, status: "verified" }, now, 48)).toBeUndefined();
    });
  });

  describe("questions to the reporter", () => {
    it("refuses when the reporter did not allow contact, changing nothing", async () => {
      const reporter = await insertReporter(database.db, keys, 990001, { contact: false });
      const c = await insertCase(database.db, { reporterId: reporter.id, contactAllowed: false });
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const before = await snapshot(database.db);
      expect(await codeOf(requestInfo(deps, { caseId: c.id, actorId: MOD_A, question: "Which floor?" }))).toBe(
        "ContactNotAllowed",
      );
      expect(await snapshot(database.db)).toEqual(before);
    });

    it("round trip: question, answer with text and an album, back in review", async () => {
      const reporter = await insertReporter(database.db, keys, 990002, { locale: "en" });
      const c = await insertCase(database.db, { reporterId: reporter.id, locale: "en" });
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const asked = await requestInfo(deps, { caseId: c.id, actorId: MOD_A, question: "Which floor was it?" });
      expect(asked.after.status).toBe("needs_info");
      expect(openContact(asked.contact, keys)).toBe(990002);

      const photo = (n: number) => ({
        data: Buffer.from(`jpeg-bytes-${n}`),
        mime: "image/jpeg" as const,
        width: 10,
        height: 10,
        sha256: n.toString(16).padStart(64, "0"),
        originalSha256: n.toString(16).padStart(64, "1"),
        perceptualHash: "0f0f0f0f0f0f0f0f",
        telegramFileUniqueId: `file-${n}`,
      });
      const first = await receiveInfo(deps, { reporterId: reporter.id, text: "Third floor", photo: photo(1), mediaGroupId: "album-1" });
      expect(first).toMatchObject({ first: true, case: { status: "in_review" } });
      const second = await receiveInfo(deps, { reporterId: reporter.id, photo: photo(2), mediaGroupId: "album-1" });
      expect(second).toMatchObject({ first: false, case: { status: "in_review" } });
      const redelivered = await receiveInfo(deps, { reporterId: reporter.id, photo: photo(2), mediaGroupId: "album-1" });
      expect(redelivered?.photoId).toBe(second?.photoId);
      const followUp = await receiveInfo(deps, { reporterId: reporter.id, text: "and the door was broken" });
      expect(followUp).toMatchObject({ first: false, case: { status: "in_review" } });
      await database.db
        .updateTable("info_requests")
        .set({ answered_at: sql<Date>`now() - interval '16 minutes'` })
        .where("case_id", "=", c.id)
        .execute();
      expect(await receiveInfo(deps, { reporterId: reporter.id, text: "much later" })).toBeUndefined();

      const photos = await database.db.selectFrom("photos").select(["source"]).where("case_id", "=", c.id).execute();
      expect(photos).toEqual([{ source: "needinfo" }, { source: "needinfo" }]);
      const events = await eventsOf(database.db, c.id);
      expect(events.slice(-5).map((e) => [e.kind, e.from_status, e.to_status, e.text])).toEqual([
        ["info_requested", "in_review", "needs_info", "Which floor was it?"],
        ["info_received", "needs_info", "in_review", "Third floor"],
        ["info_received", null, null, null],
        ["info_received", null, null, null],
        ["info_received", null, null, "and the door was broken"],
      ]);
    });

    it("answers the question a reply points at when two are open", async () => {
      const reporter = await insertReporter(database.db, keys, 990003);
      const one = await insertCase(database.db, { reporterId: reporter.id });
      const two = await insertCase(database.db, { reporterId: reporter.id });
      for (const c of [one, two]) await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const q1 = await requestInfo(deps, { caseId: one.id, actorId: MOD_A, question: "First?" });
      await requestInfo(deps, { caseId: two.id, actorId: MOD_A, question: "Second?" });
      await database.db.updateTable("info_requests").set({ question_message_id: 501 }).where("id", "=", q1.request.id).execute();
      const answer = await receiveInfo(deps, { reporterId: reporter.id, text: "About the first", replyToMessageId: 501 });
      expect(answer?.case.id).toBe(one.id);
      const latest = await receiveInfo(deps, { reporterId: reporter.id, text: "No reply marker" });
      expect(latest?.case.id).toBe(two.id);
    });

    it("returns the case to review when the question cannot be delivered", async () => {
      const reporter = await insertReporter(database.db, keys, 990004);
      const c = await insertCase(database.db, { reporterId: reporter.id });
      await takeCase(deps, { caseId: c.id, actorId: MOD_A });
      const asked = await requestInfo(deps, { caseId: c.id, actorId: MOD_A, question: "Which floor?" });
      const after = await markInfoUndelivered(deps, c.id, asked.request.id);
      expect(after?.status).toBe("in_review");
      expect((await eventsOf(database.db, c.id)).at(-1)).toMatchObject({ kind: "info_undelivered", actor_kind: "system" });
      expect(await receiveInfo(deps, { reporterId: reporter.id, text: "late" })).toBeUndefined();
    });
  });

  it("checks an action before its text is asked for, with the errors the action would raise", async () => {
    const reporter = await insertReporter(database.db, keys, 990005, { contact: false });
    const c = await insertCase(database.db, { reporterId: reporter.id, contactAllowed: false });
    const check = (action: "reject" | "mark_duplicate" | "request_info" | "note", actorId = MOD_B, takeover = false) =>
      codeOf(checkBeforeText(deps, { caseId: c.id, actorId, takeover, action }));
    expect(await check("reject")).toBe("TransitionNotAllowed");
    expect(await check("note")).toBeUndefined();
    await takeCase(deps, { caseId: c.id, actorId: MOD_A });
    expect(await check("request_info", MOD_A)).toBe("ContactNotAllowed");
    expect(await check("reject")).toBe("HeldByAnother");
    expect(await check("reject", MOD_B, true)).toBeUndefined();
    expect(await check("mark_duplicate", MOD_A)).toBeUndefined();
    expect(await codeOf(checkBeforeText(deps, { caseId: "00000000-0000-4000-8000-000000000001", actorId: MOD_A, action: "note" }))).toBe("CaseNotFound");
  });

  it("writes a viewed event when a case is opened", async () => {
    const c = await insertCase(database.db);
    const { events } = await viewCase(deps, { caseId: c.id, actorId: MOD_B });
    expect(events.at(-1)).toMatchObject({ kind: "viewed", actor_id: MOD_B, from_status: null, to_status: null });
  });

  describe("links between cases", () => {
    it("flags a shared identifier on both cases, however it was typed", async () => {
      const a = await insertCase(database.db, {
        items: [{ category: "electronics", description: "Phone", identifier: "35-693803-558123-4", identifier_kind: "imei" }],
      });
      const b = await insertCase(database.db, {
        items: [
          { category: "electronics", description: "Another phone", identifier: "356938035581234", identifier_kind: "imei" },
        ],
      });
      const unrelated = await insertCase(database.db, { items: [{ description: "Tablet", identifier: "1234" }] });
      const cardA = await loadCaseCard(deps, a.id);
      const cardB = await loadCaseCard(deps, b.id);
      expect(cardA.identifierFlags.map((f) => f.otherRef)).toEqual([b.ref]);
      expect(cardB.identifierFlags.map((f) => f.otherRef)).toEqual([a.ref]);
      expect((await loadCaseCard(deps, unrelated.id)).identifierFlags).toEqual([]);
    });

    it("flags photos within 8 bits of each other, and not near-uniform ones", async () => {
      const base = "9a3c5e7f1b2d4c6e";
      const near = (BigInt(`0x${base}`) ^ 0b1011_0101n).toString(16).padStart(16, "0");
      const far = (BigInt(`0x${base}`) ^ 0xffff00n).toString(16).padStart(16, "0");
      const a = await insertCase(database.db, { photos: [{ data: Buffer.from("a"), perceptualHash: base }] });
      const b = await insertCase(database.db, { photos: [{ data: Buffer.from("b"), perceptualHash: near }] });
      const c = await insertCase(database.db, { photos: [{ data: Buffer.from("c"), perceptualHash: far }] });
      const blank1 = await insertCase(database.db, { photos: [{ data: Buffer.from("d"), perceptualHash: "0000000000000000" }] });
      await insertCase(database.db, { photos: [{ data: Buffer.from("e"), perceptualHash: "0000000000000001" }] });
      expect((await loadCaseCard(deps, a.id)).photoFlags).toEqual([{ otherCaseId: b.id, otherRef: b.ref, distance: 5 }]);
      expect((await loadCaseCard(deps, b.id)).photoFlags.map((f) => f.otherRef)).toEqual([a.ref]);
      expect((await loadCaseCard(deps, c.id)).photoFlags).toEqual([]);
      expect((await loadCaseCard(deps, blank1.id)).photoFlags).toEqual([]);
    });
  });

  it("finds cases by reference, address, narrative, item and identifier", async () => {
    const c = await insertCase(database.db, {
      address: "Irpin, Universytetska 2",
      narrative: "A green КамАЗ with the letter V took the fridge",
      items: [{ category: "vehicle", description: "Toyota Camry", identifier: "JTDBE32K620123456", identifier_kind: "vin" }],
    });
    const refs = async (text: string) => (await findCases(database.db, text, 20)).map((f) => f.ref);
    expect(await refs(c.ref.toLowerCase())).toEqual([c.ref]);
    expect(await refs("universytetska")).toEqual([c.ref]);
    expect(await refs("камаз")).toEqual([c.ref]);
    expect(await refs("camry")).toEqual([c.ref]);
    expect(await refs("jtd-be32k6 20123456")).toEqual([c.ref]);
    expect((await findCases(database.db, "camry", 20))[0]?.matched).toContain("Toyota Camry");
    expect(await refs("100%_")).toEqual([]);
  });

  it("counts cases for /stats and the median time to the first action", async () => {
    const fresh = await createTestDatabase();
    try {
      const db = fresh.db;
      await addStaff(db, MOD_A, "moderator");
      const local = { db, takeTimeoutHours: 48 };
      const hourAgo = new Date(Date.now() - 3600_000);
      const threeHoursAgo = new Date(Date.now() - 3 * 3600_000);
      const a = await insertCase(db, { region: "kyivska", submittedAt: hourAgo, items: [{ category: "electronics" }, { category: "cash", quantity: 3 }] });
      const b = await insertCase(db, { region: "kharkivska", submittedAt: threeHoursAgo, items: [{ category: "electronics" }] });
      await insertCase(db, { region: "kyivska", items: [{ category: "tools" }] });
      await viewCase(local, { caseId: a.id, actorId: MOD_A });
      await takeCase(local, { caseId: a.id, actorId: MOD_A });
      await takeCase(local, { caseId: b.id, actorId: MOD_A });
      const stats = await caseStats(db, 12);
      expect(stats.total).toBe(3);
      expect(stats.byStatus).toEqual([
        { status: "in_review", count: 2 },
        { status: "new", count: 1 },
      ]);
      expect(stats.byRegion).toEqual([
        { region: "kyivska", count: 2 },
        { region: "kharkivska", count: 1 },
      ]);
      expect(stats.byWeek.reduce((s, w) => s + w.count, 0)).toBe(3);
      expect(stats.byCategory).toEqual([
        { category: "electronics", cases: 2, items: 2 },
        { category: "cash", cases: 1, items: 3 },
        { category: "tools", cases: 1, items: 1 },
      ]);
      // One case waited about an hour, the other about three: the median is two hours.
      expect(stats.medianFirstActionSeconds).toBeGreaterThan(2 * 3600 - 60);
      expect(stats.medianFirstActionSeconds).toBeLessThan(2 * 3600 + 60);
      expect(stats.awaitingFirstAction).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  describe("staff administration", () => {
    beforeEach(async () => {
      await database.db.deleteFrom("staff").where("user_id", ">=", 8000).where("user_id", "<", 9000).execute();
    });

    it("audits grants, role changes and removals; repeats change nothing", async () => {
      const count = async () =>
        (await database.db.selectFrom("case_events").select("kind").where("case_id", "is", null).execute()).length;
      const start = await count();
      expect(await grantRole(database.db, { kind: "staff", userId: MOD_A }, 8001, "moderator")).toEqual({
        previousRole: null,
        role: "moderator",
      });
      expect(await grantRole(database.db, { kind: "staff", userId: MOD_A }, 8001, "moderator")).toBeUndefined();
      expect(await grantRole(database.db, { kind: "staff", userId: MOD_A }, 8001, "admin")).toEqual({
        previousRole: "moderator",
        role: "admin",
      });
      expect(await removeStaff(database.db, MOD_A, 8001)).toBe("admin");
      expect(await removeStaff(database.db, MOD_A, 8001)).toBeUndefined();
      expect(await findActiveStaff(database.db, 8001)).toBeUndefined();
      expect(await count()).toBe(start + 3);
    });

    it("seeds ADMIN_IDS as active admins at every start, writing events only for changes", async () => {
      expect(await seedAdmins(database.db, [8101, 8102])).toBe(2);
      expect(await seedAdmins(database.db, [8101, 8102])).toBe(0);
      await removeStaff(database.db, MOD_A, 8101);
      expect(await seedAdmins(database.db, [8101, 8102])).toBe(1);
      expect((await findActiveStaff(database.db, 8101))?.role).toBe("admin");
      const seeded = await database.db
        .selectFrom("case_events")
        .select(["actor_kind", "data"])
        .where("kind", "=", "staff_added")
        .where(sql<boolean>`data->>'userId' = '8101'`)
        .execute();
      expect(seeded.map((e) => e.actor_kind)).toEqual(["system", "system"]);
    });
  });
});
