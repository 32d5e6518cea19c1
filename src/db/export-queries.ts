import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "./connect.js";
import type {
  ActorKind,
  CaseStatus,
  Currency,
  Database,
  DatePrecision,
  IdentifierKind,
  ItemCategory,
  Locale,
  ReporterRole,
} from "./types.js";

/** Every status but `withdrawn`: a reporter who withdrew a case took it back from everyone, investigators included. */
export const exportableStatuses = ["new", "in_review", "needs_info", "verified", "rejected", "duplicate"] as const;
export type ExportableStatus = (typeof exportableStatuses)[number];

/**
 * Which cases an export holds. `statuses` is never empty; empty `regions` or `roles` mean "any"; the submission
 * dates (`YYYY-MM-DD`) are inclusive calendar days in `timeZone`.
 */
export interface ExportFilters {
  statuses: ExportableStatus[];
  regions: string[];
  roles: ReporterRole[];
  submittedFrom?: string;
  submittedTo?: string;
  timeZone: string;
}

export interface ExportCaseRow {
  id: string;
  ref: string;
  status: CaseStatus;
  role: ReporterRole;
  incident_date: string | null;
  incident_date_precision: DatePrecision;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  region: string | null;
  perpetrator_units: string | null;
  perpetrator_vehicles: string | null;
  perpetrator_count: number | null;
  perpetrator_words: string | null;
  narrative: string | null;
  contact_allowed: boolean;
  consent_version: string;
  locale: Locale;
  duplicate_of_ref: string | null;
  /** Photos attached to the case, counted by the database so a spreadsheet row needs no photo records. */
  photo_count: number;
  submitted_at: Date;
  updated_at: Date;
  /** submitted_at as the database prints it: a Date would lose the microseconds the page boundary needs. */
  cursor: string;
}

export interface ExportItemRow {
  case_id: string;
  position: number;
  category: ItemCategory;
  description: string;
  quantity: number;
  value_amount: string | null;
  value_currency: Currency | null;
  identifier: string | null;
  identifier_kind: IdentifierKind | null;
  identifier_valid: boolean | null;
}

export interface ExportPhotoRow {
  id: string;
  case_id: string;
  source: "intake" | "needinfo";
  mime: "image/jpeg" | "image/png";
  width: number;
  height: number;
  size_bytes: number;
  sha256: string;
  original_sha256: string;
  perceptual_hash: string;
  taken_at: Date | null;
  evidence_latitude: number | null;
  evidence_longitude: number | null;
  created_at: Date;
  data_deleted_at: Date | null;
}

export interface ExportEventRow {
  id: number;
  case_id: string;
  actor_kind: ActorKind;
  actor_id: number | null;
  actor_name: string | null;
  kind: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  text: string | null;
  data: Record<string, unknown> | null;
  created_at: Date;
}

/** One page of cases with what belongs to them, each list in the order it is exported. */
export interface ExportPage {
  cases: ExportCaseRow[];
  items: Map<string, ExportItemRow[]>;
  photos: Map<string, ExportPhotoRow[]>;
  events: Map<string, ExportEventRow[]>;
}

export interface PageContents {
  items?: boolean;
  photos?: boolean;
  events?: boolean;
}

function startOfDay(day: string, timeZone: string, plusDays = 0) {
  return sql<Date>`((cast(${day} as date) + ${plusDays}::int)::timestamp at time zone ${timeZone})`;
}

function matchesFilters(filters: ExportFilters) {
  return (eb: ExpressionBuilder<Database, "cases">) => {
    // Withdrawn is refused here too, whatever list a caller passes: it must never leave the database.
    const conditions = [eb("cases.status", "in", filters.statuses), eb("cases.status", "!=", "withdrawn")];
    if (filters.regions.length > 0) conditions.push(eb("cases.region", "in", filters.regions));
    if (filters.roles.length > 0) conditions.push(eb("cases.role", "in", filters.roles));
    if (filters.submittedFrom) {
      conditions.push(eb("cases.submitted_at", ">=", startOfDay(filters.submittedFrom, filters.timeZone)));
    }
    if (filters.submittedTo) {
      conditions.push(eb("cases.submitted_at", "<", startOfDay(filters.submittedTo, filters.timeZone, 1)));
    }
    return eb.and(conditions);
  };
}

export async function countExportCases(db: Db, filters: ExportFilters): Promise<number> {
  const row = await db
    .selectFrom("cases")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where(matchesFilters(filters))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function groupByCase<T extends { case_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.case_id);
    if (group) group.push(row);
    else groups.set(row.case_id, [row]);
  }
  return groups;
}

/**
 * The cases an export holds, oldest submission first, a page at a time. Pages follow one another by key
 * (submission time, then id), not by offset: each page costs the same however deep the export is, memory holds
 * two pages at most, and it works alike on PostgreSQL and PGlite (which cannot stream a query). Each case is read
 * once, with its items, photo records and audit history, so every file made from a page tells the same story.
 * The next page is read while the caller writes this one, so the database and the writing overlap.
 */
export async function* exportCasePages(
  db: Db,
  filters: ExportFilters,
  contents: PageContents = {},
  pageSize = 2000,
): AsyncGenerator<ExportPage> {
  let next: Promise<ExportPage | undefined> = readPage(db, filters, contents, pageSize, undefined);
  for (;;) {
    const page = await next;
    if (!page) return;
    const last = page.cases[page.cases.length - 1]!;
    next = page.cases.length < pageSize ? Promise.resolve(undefined) : readPage(db, filters, contents, pageSize, last);
    // A caller that stops early never awaits the read ahead; its failure must not surface as unhandled.
    next.catch(() => undefined);
    yield page;
  }
}

async function readPage(
  db: Db,
  filters: ExportFilters,
  contents: PageContents,
  pageSize: number,
  after: { cursor: string; id: string } | undefined,
): Promise<ExportPage | undefined> {
  let query = db
    .selectFrom("cases")
    .leftJoin("cases as original", "original.id", "cases.duplicate_of")
    .select([
      "cases.id",
      "cases.ref",
      "cases.status",
      "cases.role",
      "cases.incident_date",
      "cases.incident_date_precision",
      "cases.latitude",
      "cases.longitude",
      "cases.address",
      "cases.region",
      "cases.perpetrator_units",
      "cases.perpetrator_vehicles",
      "cases.perpetrator_count",
      "cases.perpetrator_words",
      "cases.narrative",
      "cases.contact_allowed",
      "cases.consent_version",
      "cases.locale",
      "original.ref as duplicate_of_ref",
      (eb) =>
        eb
          .selectFrom("photos")
          .select((p) => p.fn.countAll<number>().as("count"))
          .whereRef("photos.case_id", "=", "cases.id")
          .as("photo_count"),
      "cases.submitted_at",
      "cases.updated_at",
      sql<string>`cases.submitted_at::text`.as("cursor"),
    ])
    .where(matchesFilters(filters));
  if (after) {
    const { cursor, id } = after;
    query = query.where(sql<boolean>`(cases.submitted_at, cases.id) > (${cursor}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query.orderBy("cases.submitted_at").orderBy("cases.id").limit(pageSize).execute();
  if (rows.length === 0) return undefined;
  const cases = rows.map((row) => ({ ...row, photo_count: Number(row.photo_count) }));
  const ids = cases.map((c) => c.id);
  const [items, photos, events] = await Promise.all([
    contents.items ? itemsOf(db, ids) : [],
    contents.photos ? photosOf(db, ids) : [],
    contents.events ? eventsOf(db, ids) : [],
  ]);
  return { cases, items: groupByCase(items), photos: groupByCase(photos), events: groupByCase(events) };
}

function itemsOf(db: Db, caseIds: string[]): Promise<ExportItemRow[]> {
  return db
    .selectFrom("case_items")
    .select([
      "case_id",
      "position",
      "category",
      "description",
      "quantity",
      "value_amount",
      "value_currency",
      "identifier",
      "identifier_kind",
      "identifier_valid",
    ])
    .where("case_id", "in", caseIds)
    .orderBy("case_id")
    .orderBy("position")
    .execute();
}

async function photosOf(db: Db, caseIds: string[]): Promise<ExportPhotoRow[]> {
  const rows = await db
    .selectFrom("photos")
    .select([
      "id",
      "case_id",
      "source",
      "mime",
      "width",
      "height",
      "size_bytes",
      "sha256",
      "original_sha256",
      "perceptual_hash",
      "taken_at",
      "evidence_latitude",
      "evidence_longitude",
      "created_at",
      "data_deleted_at",
    ])
    .where("case_id", "in", caseIds)
    .orderBy("case_id")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows as ExportPhotoRow[];
}

async function eventsOf(db: Db, caseIds: string[]): Promise<ExportEventRow[]> {
  const rows = await db
    .selectFrom("case_events")
    .leftJoin("staff", (join) =>
      join.onRef("staff.user_id", "=", "case_events.actor_id").on("case_events.actor_kind", "=", "staff"),
    )
    .select([
      "case_events.id",
      "case_events.case_id",
      "case_events.actor_kind",
      "case_events.actor_id",
      "staff.display_name as actor_name",
      "case_events.kind",
      "case_events.from_status",
      "case_events.to_status",
      "case_events.text",
      "case_events.data",
      "case_events.created_at",
    ])
    .where("case_events.case_id", "in", caseIds)
    .orderBy("case_events.case_id")
    .orderBy("case_events.id")
    .execute();
  return rows as ExportEventRow[];
}

/** The stored bytes of one photo, read only when they are written out, so a page never holds pictures. */
export async function readPhotoData(db: Db, photoId: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom("photos").select("data").where("id", "=", photoId).executeTakeFirst();
  return row?.data ?? undefined;
}

export type ExportActor = { kind: "staff"; userId: number } | { kind: "system" };

/** An export concerns no single case: it is logged once, with what it held and the hash of every file it made. */
export async function recordExport(db: Db, actor: ExportActor, data: Record<string, unknown>): Promise<void> {
  await db
    .insertInto("case_events")
    .values({
      case_id: null,
      actor_kind: actor.kind,
      actor_id: actor.kind === "staff" ? actor.userId : null,
      kind: "exported",
      data: JSON.stringify(data),
    })
    .execute();
}
