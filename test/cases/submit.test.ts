import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DraftAnswers, emptyAnswers, firstMissingStep, nextStep, previousStep, readAnswers } from "../../src/cases/draft.js";
import { submitDraft } from "../../src/cases/submit.js";
import { withdrawCase } from "../../src/cases/withdraw.js";
import { findReporterCase, listReporterCases } from "../../src/db/cases.js";
import { advanceDraft, deleteDraft, findDraftOfReporter, openDraftOfReporter } from "../../src/db/drafts.js";
import { countDraftPhotos, insertDraftPhoto, type StoredImage } from "../../src/db/photos.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";

const complete: DraftAnswers = {
  ...emptyAnswers(),
  role: "victim",
  address: "Буча, вул. Вокзальна 12",
  region: "kyivska",
  incidentDate: "2022-03-12",
  datePrecision: "day",
  items: [
    {
      category: "electronics",
      description: "Samsung Galaxy S21",
      quantity: 1,
      valueAmount: "15000.00",
      valueCurrency: "UAH",
      identifier: "356938035643809",
      identifierKind: "imei",
      identifierValid: true,
    },
    {
      category: "vehicle",
      description: "Toyota RAV4",
      quantity: 1,
      valueAmount: null,
      valueCurrency: null,
      identifier: null,
      identifierKind: null,
      identifierValid: null,
    },
  ],
  contactAllowed: false,
};

function image(seed: number): StoredImage {
  const hex = seed.toString(16).padStart(2, "0");
  return {
    data: Buffer.from([0xff, 0xd8, seed, 0xff, 0xd9]),
    format: "jpeg",
    width: 10,
    height: 10,
    sha256: hex.repeat(32),
    originalSha256: hex.repeat(32),
    perceptualHash: hex.repeat(8),
    evidence: seed === 1 ? { takenAt: new Date("2022-03-12T10:00:00Z"), latitude: 50.54, longitude: 30.21 } : {},
  };
}

describe("the answer graph", () => {
  it("goes through the sections in order and back", () => {
    const a = emptyAnswers();
    expect(nextStep("role", a)).toBe("location");
    expect(nextStep("item_more", a)).toBe("perpetrators");
    expect(previousStep("role", a)).toBeUndefined();
    expect(previousStep("item_category", a)).toBe("date");
    expect(previousStep("item_category", complete)).toBe("item_more");
  });

  it("returns to the review when a section edited from there is finished", () => {
    const editing = { ...complete, returnToReview: true };
    expect(nextStep("location", editing)).toBe("region");
    expect(nextStep("region", editing)).toBe("review");
    expect(nextStep("item_more", editing)).toBe("review");
    expect(previousStep("location", editing)).toBe("review");
  });

  it("names the first unanswered question", () => {
    expect(firstMissingStep(emptyAnswers())).toBe("role");
    expect(firstMissingStep({ ...complete, items: [] })).toBe("item_category");
    expect(firstMissingStep({ ...complete, contactAllowed: undefined })).toBe("contact");
    expect(firstMissingStep(complete)).toBeUndefined();
  });

  it("reads whatever an older version left in the draft without failing", () => {
    expect(readAnswers({ role: "pirate", items: "none", region: "atlantis", consentVersion: 7 })).toEqual({
      consentVersion: expect.any(String),
      items: [],
    });
    expect(readAnswers(null).items).toEqual([]);
  });
});

describe(`submitting a draft on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  async function draftWithPhotos(pseudonym: string, answers: DraftAnswers, photos: number) {
    const draft = await openDraftOfReporter(database.db, pseudonym, "uk", "review", answers as unknown as Record<string, unknown>);
    for (let i = 1; i <= photos; i++) await insertDraftPhoto(database.db, draft.draft_key, `file-${i}`, image(i));
    return draft;
  }

  it("writes case, items, photos and one audit event in one go, once however often it is called", async () => {
    const draft = await draftWithPhotos("p".repeat(64), complete, 2);
    expect((await insertDraftPhoto(database.db, draft.draft_key, "file-1", image(1))).duplicate).toBe(true);
    expect(await countDraftPhotos(database.db, draft.draft_key)).toBe(2);

    const [first, second] = await Promise.all([
      submitDraft(database.db, { draftKey: draft.draft_key, locale: "uk" }),
      submitDraft(database.db, { draftKey: draft.draft_key, locale: "uk" }),
    ]);
    const third = await submitDraft(database.db, { draftKey: draft.draft_key, locale: "uk" });
    const kinds = [first.kind, second.kind].sort();
    expect(kinds).toEqual(["already_submitted", "submitted"]);
    expect(third.kind).toBe("already_submitted");

    const cases = await database.db.selectFrom("cases").selectAll().where("draft_key", "=", draft.draft_key).execute();
    expect(cases).toHaveLength(1);
    const c = cases[0]!;
    expect(c.ref).toMatch(/^SV-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(c).toMatchObject({ status: "new", role: "victim", region: "kyivska", incident_date: "2022-03-12", contact_allowed: false });
    const items = await database.db.selectFrom("case_items").selectAll().where("case_id", "=", c.id).orderBy("position").execute();
    expect(items.map((i) => [i.position, i.category, i.identifier_kind, i.value_amount])).toEqual([
      [1, "electronics", "imei", "15000.00"],
      [2, "vehicle", null, null],
    ]);
    const photos = await database.db.selectFrom("photos").selectAll().where("case_id", "=", c.id).execute();
    expect(photos).toHaveLength(2);
    expect(photos.every((p) => p.draft_key === null)).toBe(true);
    expect(photos.find((p) => p.telegram_file_unique_id === "file-1")).toMatchObject({ evidence_latitude: 50.54 });
    const events = await database.db.selectFrom("case_events").selectAll().where("case_id", "=", c.id).execute();
    expect(events).toMatchObject([{ kind: "submitted", actor_kind: "reporter", to_status: "new" }]);
    expect(await findDraftOfReporter(database.db, "p".repeat(64))).toBeUndefined();
  });

  it("refuses a draft with a question unanswered and names it", async () => {
    const draft = await draftWithPhotos("q".repeat(64), { ...complete, region: undefined }, 0);
    expect(await submitDraft(database.db, { draftKey: draft.draft_key, locale: "en" })).toEqual({ kind: "incomplete", step: "region" });
    expect(await database.db.selectFrom("cases").select("id").where("draft_key", "=", draft.draft_key).execute()).toEqual([]);
  });

  it("tries another reference when one is taken", async () => {
    const a = await draftWithPhotos("r".repeat(64), complete, 0);
    const b = await draftWithPhotos("s".repeat(64), complete, 0);
    const refs = ["SV-AAAA-AAAA", "SV-AAAA-AAAA", "SV-BBBB-BBBB"];
    const newRef = () => refs.shift()!;
    expect(await submitDraft(database.db, { draftKey: a.draft_key, locale: "en", newRef })).toMatchObject({ ref: "SV-AAAA-AAAA" });
    expect(await submitDraft(database.db, { draftKey: b.draft_key, locale: "en", newRef })).toMatchObject({ ref: "SV-BBBB-BBBB" });
  });

  it("moves a draft only from the step it is at", async () => {
    const draft = await draftWithPhotos("t".repeat(64), emptyAnswers(), 0);
    expect(await advanceDraft(database.db, draft.draft_key, "role", "location", {})).toBe(false);
    expect(await advanceDraft(database.db, draft.draft_key, "review", "contact", {})).toBe(true);
    expect(await advanceDraft(database.db, draft.draft_key, "review", "contact", {})).toBe(false);
  });

  it("deletes a cancelled draft with its photos", async () => {
    const draft = await draftWithPhotos("u".repeat(64), complete, 3);
    expect(await deleteDraft(database.db, draft.draft_key)).toEqual({ photos: 3 });
    expect(await database.db.selectFrom("photos").select("id").where("draft_key", "=", draft.draft_key).execute()).toEqual([]);
  });

  it("shows and withdraws only the reporter's own cases", async () => {
    const draft = await draftWithPhotos("v".repeat(64), complete, 1);
    const result = await submitDraft(database.db, { draftKey: draft.draft_key, locale: "uk" });
    if (result.kind !== "submitted") throw new Error(result.kind);
    expect(await findReporterCase(database.db, "w".repeat(64), result.ref)).toBeUndefined();
    expect(await findReporterCase(database.db, "v".repeat(64), result.ref)).toMatchObject({ item_count: 2, photo_count: 1 });
    expect(await withdrawCase(database.db, "w".repeat(64), result.ref)).toEqual({ kind: "not_found" });
    expect(await withdrawCase(database.db, "v".repeat(64), result.ref)).toMatchObject({ kind: "withdrawn", from: "new" });
    expect(await withdrawCase(database.db, "v".repeat(64), result.ref)).toEqual({ kind: "not_allowed", status: "withdrawn" });
    expect((await listReporterCases(database.db, "v".repeat(64), 10)).map((c) => c.status)).toEqual(["withdrawn"]);
    const events = await database.db.selectFrom("case_events").select(["kind", "from_status", "to_status"]).where("case_id", "=", result.caseId).orderBy("id").execute();
    expect(events).toEqual([
      { kind: "submitted", from_status: null, to_status: "new" },
      { kind: "withdrawn", from_status: "new", to_status: "withdrawn" },
    ]);
  });
});
