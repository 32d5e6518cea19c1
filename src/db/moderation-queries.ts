import { type Transaction, sql } from "kysely";
import type { Db } from "./connect.js";
import type { Case, CaseItem, CaseStatus, Database, ItemCategory } from "./types.js";

type Executor = Db | Transaction<Database>;

export async function findCaseById(db: Executor, caseId: string): Promise<Case | undefined> {
  return db.selectFrom("cases").selectAll().where("id", "=", caseId).executeTakeFirst();
}

export async function findCaseByRef(db: Executor, ref: string): Promise<Case | undefined> {
  return db.selectFrom("cases").selectAll().where("ref", "=", ref).executeTakeFirst();
}

/** Reads the case and keeps other writers off it until the transaction ends. */
export async function lockCase(trx: Transaction<Database>, caseId: string): Promise<Case | undefined> {
  return trx.selectFrom("cases").selectAll().where("id", "=", caseId).forUpdate().executeTakeFirst();
}

export async function listCaseItems(db: Executor, caseId: string): Promise<CaseItem[]> {
  return db.selectFrom("case_items").selectAll().where("case_id", "=", caseId).orderBy("position").execute();
}

export interface PhotoSummary {
  id: string;
  source: "intake" | "needinfo";
  stored: boolean;
}

export async function listPhotoSummaries(db: Executor, caseId: string): Promise<PhotoSummary[]> {
  const rows = await db
    .selectFrom("photos")
    .select(["id", "source", "data_deleted_at"])
    .where("case_id", "=", caseId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, source: r.source, stored: r.data_deleted_at === null }));
}

export interface PhotoBytes {
  id: string;
  data: Buffer;
  mime: "image/jpeg" | "image/png";
}

/** Bytes of the given photos, in the order asked: callers fetch a few at a time to bound memory. */
export async function loadPhotoBytes(db: Executor, photoIds: string[]): Promise<PhotoBytes[]> {
  if (photoIds.length === 0) return [];
  const rows = await db
    .selectFrom("photos")
    .select(["id", "data", "mime"])
    .where("id", "in", photoIds)
    .where("data", "is not", null)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, { id: r.id, data: Buffer.from(r.data!), mime: r.mime }]));
  return photoIds.flatMap((id) => byId.get(id) ?? []);
}

export interface QueuePage {
  total: number;
  cases: Pick<Case, "id" | "ref" | "status" | "region" | "submitted_at" | "assignee_id" | "assigned_at">[];
}

/** Oldest first: the case that has waited longest is the next one to look at. */
export async function queuePage(
  db: Executor,
  statuses: readonly CaseStatus[],
  offset: number,
  limit: number,
): Promise<QueuePage> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom("cases")
      .select(["id", "ref", "status", "region", "submitted_at", "assignee_id", "assigned_at"])
      .where("status", "in", statuses)
      .orderBy("submitted_at")
      .orderBy("id")
      .offset(offset)
      .limit(limit)
      .execute(),
    db
      .selectFrom("cases")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "in", statuses)
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), cases: rows };
}

export interface FoundCase {
  id: string;
  ref: string;
  status: CaseStatus;
  region: string | null;
  submitted_at: Date;
  /** The text that matched, so the moderator sees why the case was found. */
  matched: string;
}

// Identifiers are compared without spaces, dashes or case: "356938 03-558 1234" and "35693803558 1234" are one IMEI.
const normalisedIdentifier = (column: string) =>
  sql<string>`upper(regexp_replace(${sql.ref(column)}, '[^0-9A-Za-z]', '', 'g'))`;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function normaliseIdentifier(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
}

/** Newest first: a search is usually about something that just came in. */
export async function findCases(db: Executor, text: string, limit: number): Promise<FoundCase[]> {
  const pattern = likePattern(text);
  const identifier = normaliseIdentifier(text);
  const rows = await db
    .selectFrom("cases as c")
    .select([
      "c.id",
      "c.ref",
      "c.status",
      "c.region",
      "c.submitted_at",
      "c.address",
      "c.narrative",
      "c.perpetrator_units",
      "c.perpetrator_vehicles",
      (eb) =>
        eb
          .selectFrom("case_items as i")
          .select(sql<string>`concat_ws(' ', i.description, i.identifier)`.as("t"))
          .whereRef("i.case_id", "=", "c.id")
          .where((w) =>
            w.or([
              w("i.description", "ilike", pattern),
              w("i.identifier", "ilike", pattern),
              ...(identifier.length >= 4 ? [w(normalisedIdentifier("i.identifier"), "=", identifier)] : []),
            ]),
          )
          .orderBy("i.position")
          .limit(1)
          .as("item_match"),
    ])
    .where((w) =>
      w.or([
        w("c.ref", "ilike", pattern),
        w("c.address", "ilike", pattern),
        w("c.region", "ilike", pattern),
        w("c.narrative", "ilike", pattern),
        w("c.perpetrator_units", "ilike", pattern),
        w("c.perpetrator_vehicles", "ilike", pattern),
        w.exists(
          w
            .selectFrom("case_items as i")
            .select("i.id")
            .whereRef("i.case_id", "=", "c.id")
            .where((x) =>
              x.or([
                x("i.description", "ilike", pattern),
                x("i.identifier", "ilike", pattern),
                ...(identifier.length >= 4 ? [x(normalisedIdentifier("i.identifier"), "=", identifier)] : []),
              ]),
            ),
        ),
      ]),
    )
    .orderBy("c.submitted_at", "desc")
    .orderBy("c.id")
    .limit(limit)
    .execute();
  const needle = text.toLocaleLowerCase();
  return rows.map((r) => {
    const fields = [r.ref, r.address, r.region, r.item_match, r.perpetrator_units, r.perpetrator_vehicles, r.narrative];
    const matched = fields.find((f): f is string => !!f && f.toLocaleLowerCase().includes(needle)) ?? r.item_match ?? r.ref;
    return { id: r.id, ref: r.ref, status: r.status, region: r.region, submitted_at: r.submitted_at, matched };
  });
}

export interface IdentifierFlag {
  identifier: string;
  otherCaseId: string;
  otherRef: string;
}

/** Shorter identifiers ("123", "A1") match by chance; these are too weak to flag a link between cases. */
const MIN_FLAGGED_IDENTIFIER_LENGTH = 5;

/** Whether an item's identifier is long enough to be compared with other cases' at all. */
export function isFlaggableIdentifier(identifier: string | null): boolean {
  return identifier !== null && normaliseIdentifier(identifier).length >= MIN_FLAGGED_IDENTIFIER_LENGTH;
}

/** Other cases (not withdrawn) naming an item with the same identifier as an item of this case. */
export async function identifierFlags(db: Executor, caseId: string): Promise<IdentifierFlag[]> {
  const rows = await db
    .selectFrom("case_items as i")
    .innerJoin("case_items as o", (j) =>
      j.onRef("o.case_id", "!=", "i.case_id").on(normalisedIdentifier("o.identifier"), "=", normalisedIdentifier("i.identifier")),
    )
    .innerJoin("cases as oc", "oc.id", "o.case_id")
    .select(["i.identifier", "oc.id as other_case_id", "oc.ref as other_ref"])
    .where("i.case_id", "=", caseId)
    .where("i.identifier", "is not", null)
    .where("oc.status", "!=", "withdrawn")
    .where(sql<number>`length(${normalisedIdentifier("i.identifier")})`, ">=", MIN_FLAGGED_IDENTIFIER_LENGTH)
    .orderBy("oc.submitted_at")
    .orderBy("oc.ref")
    .execute();
  const seen = new Set<string>();
  const flags: IdentifierFlag[] = [];
  for (const r of rows) {
    const key = `${normaliseIdentifier(r.identifier!)}|${r.other_case_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    flags.push({ identifier: r.identifier!, otherCaseId: r.other_case_id, otherRef: r.other_ref });
  }
  return flags;
}

export interface PhotoFlag {
  otherCaseId: string;
  otherRef: string;
  distance: number;
}

const hashBits = (column: string) => sql`('x' || ${sql.ref(column)})::bit(64)`;
const hammingSql = (a: string, b: string) => sql<number>`bit_count(${hashBits(a)} # ${hashBits(b)})`;

/**
 * Other cases (not withdrawn) with a photo whose perceptual hash is within `maxDistance` bits of one of
 * this case's photos. Near-uniform pictures (a black frame, a white wall) hash to almost all zeros or ones
 * and would match each other whatever they show, so they are left out.
 */
export async function photoFlags(db: Executor, caseId: string, maxDistance: number): Promise<PhotoFlag[]> {
  const rows = await db
    .selectFrom("photos as p")
    .innerJoin("photos as o", (j) => j.onRef("o.case_id", "!=", "p.case_id"))
    .innerJoin("cases as oc", "oc.id", "o.case_id")
    .select(["oc.id as other_case_id", "oc.ref as other_ref", "oc.submitted_at", hammingSql("p.perceptual_hash", "o.perceptual_hash").as("distance")])
    .where("p.case_id", "=", caseId)
    .where("oc.status", "!=", "withdrawn")
    .where(sql<boolean>`bit_count(${hashBits("p.perceptual_hash")}) between 4 and 60`)
    .where(hammingSql("p.perceptual_hash", "o.perceptual_hash"), "<=", maxDistance)
    .orderBy("oc.submitted_at")
    .execute();
  const best = new Map<string, PhotoFlag>();
  for (const r of rows) {
    const distance = Number(r.distance);
    const known = best.get(r.other_case_id);
    if (!known || distance < known.distance) {
      best.set(r.other_case_id, { otherCaseId: r.other_case_id, otherRef: r.other_ref, distance });
    }
  }
  return [...best.values()];
}

export interface CaseStats {
  total: number;
  byStatus: { status: CaseStatus; count: number }[];
  byRegion: { region: string | null; count: number }[];
  byWeek: { weekStart: string; count: number }[];
  byCategory: { category: ItemCategory; cases: number; items: number }[];
  /** Median seconds from submission to the first moderator action (views excluded); null before any. */
  medianFirstActionSeconds: number | null;
  awaitingFirstAction: number;
}

export async function caseStats(db: Executor, weeks: number): Promise<CaseStats> {
  const [byStatus, byRegion, byWeek, byCategory, firstAction] = await Promise.all([
    db
      .selectFrom("cases")
      .select(["status", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy("status")
      .orderBy("status")
      .execute(),
    db
      .selectFrom("cases")
      .select(["region", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy("region")
      .orderBy("count", "desc")
      .orderBy("region")
      .execute(),
    db
      .selectFrom("cases")
      .select([
        sql<string>`to_char(date_trunc('week', submitted_at at time zone 'UTC'), 'YYYY-MM-DD')`.as("week_start"),
        (eb) => eb.fn.countAll<number>().as("count"),
      ])
      .where(sql<Date>`submitted_at`, ">=", sql<Date>`date_trunc('week', now() at time zone 'UTC') at time zone 'UTC' - make_interval(weeks => ${weeks - 1})`)
      .groupBy("week_start")
      .orderBy("week_start")
      .execute(),
    db
      .selectFrom("case_items")
      .select([
        "category",
        sql<number>`count(distinct case_id)`.as("cases"),
        sql<number>`sum(quantity)`.as("items"),
      ])
      .groupBy("category")
      .orderBy("cases", "desc")
      .orderBy("category")
      .execute(),
    db
      .selectFrom("cases as c")
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom("case_events as e")
            .select((x) => x.fn.min("e.created_at").as("first_at"))
            .whereRef("e.case_id", "=", "c.id")
            .where("e.actor_kind", "=", "staff")
            .where("e.kind", "!=", "viewed")
            .as("fa"),
        (join) => join.onTrue(),
      )
      .select([
        sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (fa.first_at - c.submitted_at)))`.as(
          "median",
        ),
        sql<number>`count(*) filter (where fa.first_at is null and c.status not in ('withdrawn'))`.as("waiting"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: byStatus.reduce((sum, r) => sum + Number(r.count), 0),
    byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })),
    byRegion: byRegion.map((r) => ({ region: r.region, count: Number(r.count) })),
    byWeek: byWeek.map((r) => ({ weekStart: r.week_start, count: Number(r.count) })),
    byCategory: byCategory.map((r) => ({ category: r.category, cases: Number(r.cases), items: Number(r.items) })),
    medianFirstActionSeconds: firstAction.median === null ? null : Number(firstAction.median),
    awaitingFirstAction: Number(firstAction.waiting),
  };
}

export interface ReporterContact {
  sealed: string;
  keyId: string;
}

/** The sealed chat of a case's reporter, only when they allowed contact and have not erased it. */
export async function findReporterContact(db: Executor, caseRow: Pick<Case, "reporter_id" | "contact_allowed">): Promise<ReporterContact | undefined> {
  if (!caseRow.contact_allowed || !caseRow.reporter_id) return undefined;
  const row = await db
    .selectFrom("reporters")
    .select(["contact_chat_enc", "contact_key_id"])
    .where("id", "=", caseRow.reporter_id)
    .executeTakeFirst();
  if (!row?.contact_chat_enc || !row.contact_key_id) return undefined;
  return { sealed: row.contact_chat_enc, keyId: row.contact_key_id };
}
