import { createHash, randomBytes, randomInt } from "node:crypto";
import sharp from "sharp";
import type { Db } from "../../src/db/connect.js";
import type { CaseStatus, DatePrecision, NewCaseItem, ReporterRole } from "../../src/db/types.js";

const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export function randomRef(): string {
  const part = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join("");
  return `SV-${part()}-${part()}`;
}

export interface PhotoFixture {
  data: Buffer;
  mime?: "image/jpeg" | "image/png";
  takenAt?: Date;
  evidence?: { latitude: number; longitude: number };
  deleted?: boolean;
}

export interface EventFixture {
  kind: string;
  actorKind?: "reporter" | "staff" | "system";
  actorId?: number | null;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  text?: string | null;
  data?: Record<string, unknown>;
}

export interface CaseFixture {
  status?: CaseStatus;
  role?: ReporterRole;
  region?: string | null;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  incidentDate?: string | null;
  precision?: DatePrecision;
  narrative?: string | null;
  perpetratorUnits?: string | null;
  submittedAt?: Date;
  items?: Partial<Omit<NewCaseItem, "case_id" | "position">>[];
  photos?: PhotoFixture[];
  events?: EventFixture[];
}

export interface InsertedCase {
  id: string;
  ref: string;
}

/** A case as a finished intake and some moderation would leave it, written straight through Kysely. */
export async function insertCase(db: Db, fixture: CaseFixture = {}): Promise<InsertedCase> {
  return db.transaction().execute(async (trx) => {
    const precision = fixture.precision ?? (fixture.incidentDate === null ? "unknown" : "day");
    const row = await trx
      .insertInto("cases")
      .values({
        ref: randomRef(),
        draft_key: randomBytes(8).toString("hex"),
        reporter_id: null,
        role: fixture.role ?? "victim",
        status: fixture.status ?? "verified",
        incident_date: precision === "unknown" ? null : (fixture.incidentDate ?? "2024-03-01"),
        incident_date_precision: precision,
        latitude: fixture.latitude === undefined ? 50.5432 : fixture.latitude,
        longitude: fixture.longitude === undefined ? 30.2123 : fixture.longitude,
        address: fixture.address === undefined ? "Буча, вул. Вокзальна, 12" : fixture.address,
        region: fixture.region === undefined ? "kyivska" : fixture.region,
        perpetrator_units: fixture.perpetratorUnits ?? null,
        perpetrator_count: 3,
        narrative: fixture.narrative === undefined ? "Винесли все з квартири." : fixture.narrative,
        contact_allowed: true,
        consent_version: "1",
        locale: "uk",
        ...(fixture.submittedAt ? { submitted_at: fixture.submittedAt, created_at: fixture.submittedAt } : {}),
      })
      .returning(["id", "ref"])
      .executeTakeFirstOrThrow();
    const items = fixture.items ?? [{ category: "electronics", description: "Ноутбук" }];
    for (const [index, item] of items.entries()) {
      await trx
        .insertInto("case_items")
        .values({
          case_id: row.id,
          position: index + 1,
          category: item.category ?? "other",
          description: item.description ?? "Річ",
          quantity: item.quantity ?? 1,
          value_amount: item.value_amount ?? null,
          value_currency: item.value_currency ?? null,
          identifier: item.identifier ?? null,
          identifier_kind: item.identifier_kind ?? (item.identifier ? "serial" : null),
          identifier_valid: item.identifier_valid ?? null,
        })
        .execute();
    }
    for (const [index, photo] of (fixture.photos ?? []).entries()) {
      const meta = await sharp(photo.data).metadata();
      await trx
        .insertInto("photos")
        .values({
          case_id: row.id,
          data: photo.deleted ? null : photo.data,
          data_deleted_at: photo.deleted ? new Date() : null,
          mime: photo.mime ?? "image/jpeg",
          width: meta.width!,
          height: meta.height!,
          size_bytes: photo.data.length,
          sha256: createHash("sha256").update(photo.data).digest("hex"),
          original_sha256: createHash("sha256").update(Buffer.concat([photo.data, Buffer.from("exif")])).digest("hex"),
          perceptual_hash: randomBytes(8).toString("hex"),
          taken_at: photo.takenAt ?? null,
          evidence_latitude: photo.evidence?.latitude ?? null,
          evidence_longitude: photo.evidence?.longitude ?? null,
          // Received one after another, so their order (and numbers in the bundle) is known.
          created_at: new Date(Date.UTC(2026, 0, 1, 12, 0, index)),
        })
        .execute();
    }
    await trx
      .insertInto("case_events")
      .values({ case_id: row.id, actor_kind: "reporter", actor_id: null, kind: "submitted", to_status: "new" })
      .execute();
    for (const event of fixture.events ?? []) {
      await trx
        .insertInto("case_events")
        .values({
          case_id: row.id,
          actor_kind: event.actorKind ?? "staff",
          actor_id: event.actorId ?? null,
          kind: event.kind,
          from_status: event.fromStatus ?? null,
          to_status: event.toStatus ?? null,
          text: event.text ?? null,
          data: event.data ? JSON.stringify(event.data) : null,
        })
        .execute();
    }
    return row;
  });
}

export async function addStaff(db: Db, userId: number, role: "moderator" | "admin", name: string): Promise<void> {
  await db.insertInto("staff").values({ user_id: userId, role, added_by: null, display_name: name }).execute();
}

/** Small, distinct real pictures. */
export async function jpeg(seed: number, width = 24, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: 90 } } })
    .jpeg()
    .toBuffer();
}

export async function png(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 10, height: 12, channels: 3, background: { r: 10, g: (seed * 31) % 256, b: 200 } } })
    .png()
    .toBuffer();
}
