import type { StorageAdapter } from "grammy";
import type { Db } from "./connect.js";

const MAX_REMEMBERED_READS = 10_000;

// jsonb reorders object keys, so what was read is compared with what is written in one canonical order.
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Sessions (and the conversation state kept inside them) in PostgreSQL, so a restarted or second process
 * resumes every chat. Keys are derived from chat ids; `hashKey` turns them into pseudonyms first.
 * A write of exactly what was read in the same update is skipped: most updates change nothing.
 * That is safe because updates of one chat are handled one at a time.
 */
export function createBotStorage<T>(
  db: Db,
  options: { namespace: string; hashKey: (key: string) => string },
): StorageAdapter<T> {
  const storageKey = (key: string) => `${options.namespace}:${options.hashKey(key)}`;
  const lastRead = new Map<string, string>();
  const remember = (key: string, json: string) => {
    if (lastRead.size >= MAX_REMEMBERED_READS) lastRead.clear();
    lastRead.set(key, json);
  };
  return {
    async read(key) {
      const k = storageKey(key);
      const row = await db.selectFrom("bot_storage").select("value").where("key", "=", k).executeTakeFirst();
      if (!row) {
        lastRead.delete(k);
        return undefined;
      }
      remember(k, canonicalJson(row.value));
      return row.value as T;
    },
    async write(key, value) {
      const k = storageKey(key);
      const json = JSON.stringify(value);
      const unchanged = lastRead.get(k) === canonicalJson(value);
      lastRead.delete(k);
      if (unchanged) return;
      await db
        .insertInto("bot_storage")
        .values({ key: k, value: json })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: new Date() }))
        .execute();
    },
    async delete(key) {
      const k = storageKey(key);
      lastRead.delete(k);
      await db.deleteFrom("bot_storage").where("key", "=", k).execute();
    },
  };
}
