import type { Transaction } from "kysely";
import type { Db } from "./connect.js";
import type { Case, CaseStatus, Database, NewCase, NewCaseItem } from "./types.js";

type Executor = Db | Transaction<Database>;

/** Inserts the case unless its draft key or its reference is taken; returns undefined then, and the caller decides. */
export async function insertCaseIfNew(db: Executor, values: NewCase): Promise<{ id: string; ref: string } | undefined> {
  return db.insertInto("cases").values(values).onConflict((oc) => oc.doNothing()).returning(["id", "ref"]).executeTakeFirst();
}

export async function findCaseByDraftKey(db: Executor, draftKey: string): Promise<Pick<Case, "id" | "ref"> | undefined> {
  return db.selectFrom("cases").select(["id", "ref"]).where("draft_key", "=", draftKey).executeTakeFirst();
}

export async function insertCaseItems(db: Executor, items: NewCaseItem[]): Promise<void> {
  if (items.length > 0) await db.insertInto("case_items").values(items).execute();
}

export async function insertReporterEvent(
  db: Executor,
  event: { caseId: string; kind: "submitted" | "withdrawn"; fromStatus: CaseStatus | null; toStatus: CaseStatus },
): Promise<void> {
  await db
    .insertInto("case_events")
    .values({
      case_id: event.caseId,
      actor_kind: "reporter",
      actor_id: null,
      kind: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
    })
    .execute();
}

export interface ReporterCaseSummary {
  id: string;
  ref: string;
  status: CaseStatus;
  role: Case["role"];
  region: string | null;
  incident_date: string | null;
  incident_date_precision: Case["incident_date_precision"];
  submitted_at: Date;
  item_count: number;
  photo_count: number;
}

function summaries(db: Executor) {
  return db
    .selectFrom("cases")
    .select((eb) => [
      "cases.id",
      "cases.ref",
      "cases.status",
      "cases.role",
      "cases.region",
      "cases.incident_date",
      "cases.incident_date_precision",
      "cases.submitted_at",
      eb.selectFrom("case_items").select(eb.fn.countAll<number>().as("n")).whereRef("case_items.case_id", "=", "cases.id").as("item_count"),
      eb
        .selectFrom("photos")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("photos.case_id", "=", "cases.id")
        .where("photos.source", "=", "intake")
        .as("photo_count"),
    ])
    .innerJoin("reporters", "reporters.id", "cases.reporter_id");
}

function toSummary(row: Omit<ReporterCaseSummary, "item_count" | "photo_count"> & { item_count: unknown; photo_count: unknown }): ReporterCaseSummary {
  return { ...row, item_count: Number(row.item_count ?? 0), photo_count: Number(row.photo_count ?? 0) };
}

export async function listReporterCases(db: Executor, pseudonym: string, limit: number): Promise<ReporterCaseSummary[]> {
  const rows = await summaries(db)
    .where("reporters.pseudonym", "=", pseudonym)
    .orderBy("cases.submitted_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

export async function countReporterCases(db: Executor, pseudonym: string): Promise<number> {
  const row = await db
    .selectFrom("cases")
    .innerJoin("reporters", "reporters.id", "cases.reporter_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("reporters.pseudonym", "=", pseudonym)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One case by reference, only if it belongs to this reporter: anyone else's reads exactly as a missing one. */
export async function findReporterCase(db: Executor, pseudonym: string, ref: string): Promise<ReporterCaseSummary | undefined> {
  const row = await summaries(db).where("reporters.pseudonym", "=", pseudonym).where("cases.ref", "=", ref).executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

/** A report already sent from a draft whose key starts with `draftTag`, for a press on its old buttons. */
export async function findReporterCaseByDraftTag(
  db: Executor,
  pseudonym: string,
  draftTag: string,
): Promise<Pick<Case, "ref"> | undefined> {
  return db
    .selectFrom("cases")
    .innerJoin("reporters", "reporters.id", "cases.reporter_id")
    .select("cases.ref")
    .where("reporters.pseudonym", "=", pseudonym)
    .where("cases.draft_key", "like", `${draftTag.replace(/[%_\\]/g, "")}%`)
    .executeTakeFirst();
}
