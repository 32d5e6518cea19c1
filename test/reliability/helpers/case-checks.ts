import { expect } from "vitest";
import type { Db } from "../../../src/db/connect.js";
import type { ReporterOutcome, ScriptedReporter } from "./scripted-reporter.js";

/**
 * The database holds exactly one case per finished report, each with that person's own answers, every photo
 * the bot acknowledged to them attached once, and nothing left over: no draft, no loose photo, one audit event.
 */
export async function expectCasesMatch(
  db: Db,
  reporters: ScriptedReporter[],
  outcomes: ReporterOutcome[],
  options: { earlierRefs?: string[] } = {},
): Promise<void> {
  const refs = outcomes.map((o) => o.ref);
  expect(new Set(refs).size).toBe(reporters.length);
  const earlier = options.earlierRefs ?? [];
  const cases = (await db.selectFrom("cases").select(["id", "ref", "narrative", "address"]).execute()).filter(
    (c) => !earlier.includes(c.ref),
  );
  expect(cases).toHaveLength(reporters.length);
  expect(new Set(cases.map((c) => c.ref))).toEqual(new Set(refs));
  const byRef = new Map(cases.map((c) => [c.ref, c]));
  for (const [index, reporter] of reporters.entries()) {
    const outcome = outcomes[index]!;
    const found = byRef.get(outcome.ref)!;
    expect(found.narrative).toBe(reporter.script.narrative);
    expect(found.address).toBe(reporter.script.address);
    const items = await db.selectFrom("case_items").select(["position", "description"]).where("case_id", "=", found.id).execute();
    expect(items).toEqual([{ position: 1, description: reporter.script.description }]);
    const photos = await db
      .selectFrom("photos")
      .select(["telegram_file_unique_id", "original_sha256"])
      .where("case_id", "=", found.id)
      .execute();
    const stored = photos.map((p) => p.telegram_file_unique_id);
    expect(new Set(stored).size, `duplicate photo in ${outcome.ref}`).toBe(stored.length);
    expect(new Set(photos.map((p) => p.original_sha256)).size, `same picture twice in ${outcome.ref}`).toBe(photos.length);
    for (const acknowledged of outcome.acknowledgedPhotos) expect(stored).toContain(acknowledged);
    expect(photos.length).toBe(reporter.script.photos.length);
  }
  expect(await db.selectFrom("drafts").select("draft_key").execute()).toEqual([]);
  expect(await db.selectFrom("photos").select("id").where("case_id", "is", null).execute()).toEqual([]);
  const caseIds = new Set(cases.map((c) => c.id));
  const events = (await db.selectFrom("case_events").select(["case_id"]).where("kind", "=", "submitted").execute()).filter(
    (e) => e.case_id !== null && caseIds.has(e.case_id),
  );
  expect(events).toHaveLength(reporters.length);
  expect(new Set(events.map((e) => e.case_id)).size).toBe(reporters.length);
}
