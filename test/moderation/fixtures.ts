import { createHash, randomBytes, randomInt } from "node:crypto";
import type { Db } from "../../src/db/connect.js";
import { ensureReporter } from "../../src/db/reporters.js";
import type { Case, Locale, NewCaseItem, ReporterRole } from "../../src/db/types.js";
import { sealContact } from "../../src/privacy/contact-cipher.js";
import { dataKeyId, type Keys } from "../../src/privacy/keys.js";
import { createPseudonymizer } from "../../src/privacy/pseudonym.js";

export function testKeys(): Keys {
  const key = randomBytes(32);
  return { pseudonymKey: randomBytes(32), dataKey: { id: dataKeyId(key), key }, previousDataKeys: [] };
}

const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export function randomRef(): string {
  const part = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join("");
  return `SV-${part()}-${part()}`;
}

export interface FixtureReporter {
  id: string;
  telegramId: number;
}

/** A reporter as intake leaves them: known by pseudonym, with their chat sealed when they allowed contact. */
export async function insertReporter(
  db: Db,
  keys: Keys,
  telegramId: number,
  options: { locale?: Locale; contact?: boolean } = {},
): Promise<FixtureReporter> {
  const pseudonym = createPseudonymizer(keys.pseudonymKey)(telegramId);
  return insertReporterAs(db, keys, pseudonym, telegramId, options);
}

/** Same, with the pseudonym the running bot computes, so the bot recognises the person as this reporter. */
export async function insertReporterAs(
  db: Db,
  keys: Keys,
  pseudonym: string,
  telegramId: number,
  options: { locale?: Locale; contact?: boolean } = {},
): Promise<FixtureReporter> {
  const reporter = await ensureReporter(db, pseudonym, options.locale ?? "uk");
  if (options.contact !== false) {
    const sealed = sealContact(telegramId, keys.dataKey);
    await db
      .updateTable("reporters")
      .set({ contact_chat_enc: sealed.sealed, contact_key_id: sealed.keyId })
      .where("id", "=", reporter.id)
      .execute();
  }
  return { id: reporter.id, telegramId };
}

export interface FixturePhoto {
  data: Buffer;
  perceptualHash: string;
  mime?: "image/jpeg" | "image/png";
  width?: number;
  height?: number;
}

export interface FixtureCase {
  reporterId?: string | null;
  role?: ReporterRole;
  locale?: Locale;
  contactAllowed?: boolean;
  region?: string;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  narrative?: string | null;
  items?: Partial<Omit<NewCaseItem, "case_id" | "position">>[];
  photos?: FixturePhoto[];
  submittedAt?: Date;
}

/** Writes a submitted case directly, as intake's submit would: case, items, attached photos, first event. */
export async function insertCase(db: Db, fixture: FixtureCase = {}): Promise<Case> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("cases")
      .values({
        ref: randomRef(),
        draft_key: randomBytes(8).toString("hex"),
        reporter_id: fixture.reporterId ?? null,
        role: fixture.role ?? "victim",
        incident_date: "2024-03-01",
        incident_date_precision: "day",
        latitude: fixture.latitude === undefined ? 50.4501 : fixture.latitude,
        longitude: fixture.longitude === undefined ? 30.5234 : fixture.longitude,
        address: fixture.address === undefined ? "Bucha, Vokzalna 12" : fixture.address,
        region: fixture.region ?? "kyivska",
        perpetrator_units: "64th brigade insignia",
        perpetrator_count: 4,
        narrative: fixture.narrative === undefined ? "They took everything from the flat." : fixture.narrative,
        contact_allowed: fixture.contactAllowed ?? true,
        consent_version: "1",
        locale: fixture.locale ?? "uk",
        ...(fixture.submittedAt ? { submitted_at: fixture.submittedAt, created_at: fixture.submittedAt } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const items = fixture.items ?? [{ category: "electronics", description: "Laptop" }];
    let position = 1;
    for (const item of items) {
      await trx
        .insertInto("case_items")
        .values({
          case_id: row.id,
          position: position++,
          category: item.category ?? "other",
          description: item.description ?? "Thing",
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
      const sha = createHash("sha256").update(photo.data).digest("hex");
      await trx
        .insertInto("photos")
        .values({
          case_id: row.id,
          data: photo.data,
          mime: photo.mime ?? "image/jpeg",
          width: photo.width ?? 64,
          height: photo.height ?? 48,
          size_bytes: photo.data.length,
          sha256: sha,
          original_sha256: sha,
          perceptual_hash: photo.perceptualHash,
          // Received one after another, as intake stores them.
          created_at: new Date(Date.now() + index),
        })
        .execute();
    }
    await trx
      .insertInto("case_events")
      .values({ case_id: row.id, actor_kind: "reporter", kind: "submitted", to_status: "new" })
      .execute();
    return row;
  });
}

export async function addStaff(db: Db, userId: number, role: "moderator" | "admin", name?: string): Promise<void> {
  await db
    .insertInto("staff")
    .values({ user_id: userId, role, added_by: null, display_name: name ?? null })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ role, revoked_at: null }))
    .execute();
}

export async function eventsOf(db: Db, caseId: string) {
  return db.selectFrom("case_events").selectAll().where("case_id", "=", caseId).orderBy("id").execute();
}

/** A snapshot of every table moderation may touch, to prove that a refused action changed nothing. */
export async function snapshot(db: Db) {
  const [cases, events, staff, photos, prompts, requests, cards] = await Promise.all([
    db.selectFrom("cases").selectAll().orderBy("id").execute(),
    db.selectFrom("case_events").selectAll().orderBy("id").execute(),
    db.selectFrom("staff").selectAll().orderBy("user_id").execute(),
    db.selectFrom("photos").select(["id", "case_id", "source", "sha256"]).orderBy("id").execute(),
    db.selectFrom("moderation_prompts").selectAll().orderBy("id").execute(),
    db.selectFrom("info_requests").selectAll().orderBy("id").execute(),
    db.selectFrom("moderation_cards").selectAll().orderBy("case_id").execute(),
  ]);
  return { cases, events, staff, photos, prompts, requests, cards };
}
