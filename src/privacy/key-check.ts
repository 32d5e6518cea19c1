import { createHmac } from "node:crypto";
import { type Generated, sql } from "kysely";
import type { Db } from "../db/connect.js";
import type { Keys } from "./keys.js";

interface KeyFingerprintsTable {
  purpose: "pseudonym";
  fingerprint: string;
  created_at: Generated<Date>;
}

export type KeySetting = "PSEUDONYM_KEY" | "DATA_KEY";

/** Start-up stops here rather than write data nobody could link or read again. */
export class KeyMismatchError extends Error {
  readonly code = "KEY_MISMATCH";
  constructor(
    readonly setting: KeySetting,
    message: string,
    readonly unknownKeyIds: string[] = [],
  ) {
    super(message);
    this.name = "KeyMismatchError";
  }
}

export function pseudonymKeyFingerprint(pseudonymKey: Buffer): string {
  return createHmac("sha256", pseudonymKey).update("svidok:pseudonym-key-fingerprint:v1").digest("hex").slice(0, 32);
}

/** Ids of the data keys that sealed something in the database: reporters' contacts and conversation states. */
export async function dataKeyIdsInUse(db: Db): Promise<Map<string, number>> {
  const contacts = await db
    .selectFrom("reporters")
    .select(["contact_key_id as keyId", (eb) => eb.fn.countAll<number>().as("rows")])
    .where("contact_key_id", "is not", null)
    .groupBy("contact_key_id")
    .execute();
  const states = await db
    .selectFrom("bot_storage")
    .select([sql<string>`value -> 'conversations' ->> 'k'`.as("keyId"), (eb) => eb.fn.countAll<number>().as("rows")])
    .where("key", "like", "session:%")
    .where(sql<boolean>`value ? 'conversations'`)
    .groupBy(sql`value -> 'conversations' ->> 'k'`)
    .execute();
  const inUse = new Map<string, number>();
  for (const row of [...contacts, ...states]) {
    // A state that is not sealed is never read (see openState): it needs no key.
    if (row.keyId === null) continue;
    inUse.set(row.keyId, (inUse.get(row.keyId) ?? 0) + Number(row.rows));
  }
  return inUse;
}

/**
 * Refuses keys that do not fit the database. A wrong PSEUDONYM_KEY would make every reporter a stranger, their
 * cases out of reach of /mycases, /withdraw and /deletemydata; a wrong DATA_KEY would leave contacts unreadable
 * and mix rows sealed under two keys nobody holds together. The first start records the pseudonym key's
 * fingerprint; data keys are checked against the ids stored beside what they sealed.
 */
export async function verifyKeys(db: Db, keys: Keys): Promise<void> {
  const fingerprints = db.withTables<{ key_fingerprints: KeyFingerprintsTable }>();
  const expected = pseudonymKeyFingerprint(keys.pseudonymKey);
  await fingerprints
    .insertInto("key_fingerprints")
    .values({ purpose: "pseudonym", fingerprint: expected })
    .onConflict((oc) => oc.column("purpose").doNothing())
    .execute();
  const recorded = await fingerprints
    .selectFrom("key_fingerprints")
    .select("fingerprint")
    .where("purpose", "=", "pseudonym")
    .executeTakeFirstOrThrow();
  if (recorded.fingerprint !== expected) {
    throw new KeyMismatchError(
      "PSEUDONYM_KEY",
      "PSEUDONYM_KEY is not the key this database was first run with: no reporter would be recognised, and their " +
        "reports would be out of their reach. Set PSEUDONYM_KEY back to the original key; it cannot be changed " +
        "(see SECURITY.md). Nothing was changed.",
    );
  }
  const known = new Set([keys.dataKey.id, ...keys.previousDataKeys.map((k) => k.id)]);
  const unknown = [...(await dataKeyIdsInUse(db))].filter(([id]) => !known.has(id));
  if (unknown.length > 0) {
    const rows = unknown.reduce((sum, [, count]) => sum + count, 0);
    const ids = unknown.map(([id]) => id);
    throw new KeyMismatchError(
      "DATA_KEY",
      `DATA_KEY does not fit this database: ${rows} sealed value(s) were sealed with key id ${ids.join(", ")}, ` +
        `while DATA_KEY has id ${keys.dataKey.id}` +
        (keys.previousDataKeys.length ? ` and DATA_KEYS_PREVIOUS ${keys.previousDataKeys.map((k) => k.id).join(", ")}` : "") +
        ". Set DATA_KEY to the key in use, or put it in DATA_KEYS_PREVIOUS and run `npm run rotate-keys`. Nothing was changed.",
      ids,
    );
  }
}
