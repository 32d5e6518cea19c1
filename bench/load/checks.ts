import { sql } from "kysely";
import type { Db } from "../../src/db/connect.js";
import type { ReporterScript } from "../../test/reliability/helpers/scripted-reporter.js";

export interface FiledReport {
  script: ReporterScript;
  /** The reference the bot gave the person, or why the report did not finish. */
  ref?: string;
  error?: string;
}

/**
 * Every simulated report of a run must be exactly one complete case: that person's answers, one item, every photo
 * attached once, one "submitted" audit event, and nothing left behind (no draft, no photo outside a case).
 * Returns what is wrong, one line each; empty when all is well.
 */
export async function checkCases(db: Db, reports: FiledReport[], earlierRefs: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  for (const report of reports) {
    if (!report.ref) problems.push(`a report did not finish: ${report.error ?? "no reference given"}`);
  }
  const refs = reports.flatMap((r) => (r.ref ? [r.ref] : []));
  if (new Set(refs).size !== refs.length) problems.push(`${refs.length - new Set(refs).size} references were given to two people`);

  const cases = (await db.selectFrom("cases").select(["id", "ref", "narrative", "address", "status"]).execute()).filter(
    (c) => !earlierRefs.has(c.ref),
  );
  if (cases.length !== reports.length) problems.push(`${cases.length} new cases in the database for ${reports.length} reports`);
  const byRef = new Map(cases.map((c) => [c.ref, c]));

  const ids = cases.map((c) => c.id);
  const perCase = (rows: { case_id: string | null; count: string }[]) => new Map(rows.map((r) => [r.case_id!, Number(r.count)]));
  const none = ids.length === 0;
  const items = perCase(
    none ? [] : await db.selectFrom("case_items").select(["case_id", sql<string>`count(*)`.as("count")]).where("case_id", "in", ids).groupBy("case_id").execute(),
  );
  const photos = perCase(
    none ? [] : await db.selectFrom("photos").select(["case_id", sql<string>`count(*)`.as("count")]).where("case_id", "in", ids).groupBy("case_id").execute(),
  );
  const distinctPhotos = perCase(
    none
      ? []
      : await db
          .selectFrom("photos")
          .select(["case_id", sql<string>`count(distinct original_sha256)`.as("count")])
          .where("case_id", "in", ids)
          .groupBy("case_id")
          .execute(),
  );
  const submitted = perCase(
    none
      ? []
      : await db
          .selectFrom("case_events")
          .select(["case_id", sql<string>`count(*)`.as("count")])
          .where("case_id", "in", ids)
          .where("kind", "=", "submitted")
          .groupBy("case_id")
          .execute(),
  );

  for (const report of reports) {
    if (!report.ref) continue;
    const found = byRef.get(report.ref);
    if (!found) {
      problems.push(`${report.ref} was given to a person but is not in the database`);
      continue;
    }
    const wrong: string[] = [];
    if (found.narrative !== report.script.narrative) wrong.push("narrative");
    if (found.address !== report.script.address) wrong.push("address");
    if (found.status !== "new") wrong.push(`status ${found.status}`);
    if ((items.get(found.id) ?? 0) !== 1) wrong.push(`${items.get(found.id) ?? 0} items`);
    const expectedPhotos = report.script.photos.length;
    if ((photos.get(found.id) ?? 0) !== expectedPhotos) wrong.push(`${photos.get(found.id) ?? 0} photos for ${expectedPhotos}`);
    if ((distinctPhotos.get(found.id) ?? 0) !== expectedPhotos) wrong.push("the same picture stored twice");
    if ((submitted.get(found.id) ?? 0) !== 1) wrong.push(`${submitted.get(found.id) ?? 0} "submitted" events`);
    if (wrong.length > 0) problems.push(`${report.ref}: ${wrong.join(", ")}`);
  }

  const drafts = await db.selectFrom("drafts").select(sql<string>`count(*)`.as("count")).executeTakeFirstOrThrow();
  if (Number(drafts.count) > 0) problems.push(`${drafts.count} drafts left over`);
  const loose = await db.selectFrom("photos").select(sql<string>`count(*)`.as("count")).where("case_id", "is", null).executeTakeFirstOrThrow();
  if (Number(loose.count) > 0) problems.push(`${loose.count} photos outside any case`);
  return problems;
}
