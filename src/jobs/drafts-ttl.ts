import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import type { Job } from "./job-runner.js";

export interface ExpiredDrafts {
  drafts: number;
  photos: number;
  /** Sessions whose unfinished conversation state was dropped with the draft it belonged to. */
  conversations: number;
}

export interface ExpireDraftsOptions {
  ttlDays: number;
  /** Drafts deleted per transaction, so a large backlog never holds many locks for long. */
  batchSize?: number;
  /** The clock, for tests. */
  now?: Date;
  signal?: AbortSignal;
}

// A photo stored a moment ago may belong to a draft whose transaction has not committed yet: orphans are
// only taken once they are this old.
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Deletes reports abandoned for `ttlDays` (no answer since): the draft, its photos, and the conversation
 * state still waiting for an answer in the chat's session. Safe on several processes at once: drafts are taken
 * with `for update skip locked`, so two runs never pick the same draft, and a draft being submitted (which
 * holds its row) is left alone. Photos left without a draft by a race with a cancel or an expiry are
 * swept too.
 */
export async function expireAbandonedDrafts(db: Db, options: ExpireDraftsOptions): Promise<ExpiredDrafts> {
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.ttlDays * 24 * 60 * 60 * 1000);
  const totals: ExpiredDrafts = { drafts: 0, photos: 0, conversations: 0 };
  for (;;) {
    if (options.signal?.aborted) return totals;
    const batch = await db.transaction().execute(async (trx) => {
      const expired = await trx
        .selectFrom("drafts")
        .select("draft_key")
        .where("updated_at", "<", cutoff)
        .orderBy("updated_at")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (expired.length === 0) return { drafts: 0, photos: 0 };
      const keys = expired.map((row) => row.draft_key);
      const photos = await trx
        .deleteFrom("photos")
        .where("draft_key", "in", keys)
        .where("case_id", "is", null)
        .executeTakeFirst();
      const drafts = await trx.deleteFrom("drafts").where("draft_key", "in", keys).executeTakeFirst();
      return { drafts: Number(drafts.numDeletedRows), photos: Number(photos.numDeletedRows) };
    });
    totals.drafts += batch.drafts;
    totals.photos += batch.photos;
    if (batch.drafts < batchSize) break;
  }
  const orphans = await db
    .deleteFrom("photos")
    .where("case_id", "is", null)
    .where("source", "=", "intake")
    .where("created_at", "<", new Date(now.getTime() - ORPHAN_GRACE_MS))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("drafts").select(sql.lit(1).as("one")).whereRef("drafts.draft_key", "=", "photos.draft_key"))),
    )
    .executeTakeFirst();
  totals.photos += Number(orphans.numDeletedRows);
  // A session untouched as long holds no live conversation: every update of a chat rewrites its session.
  const sessions = await db
    .updateTable("bot_storage")
    .set({ value: sql`value - 'conversations'`, updated_at: now })
    .where("key", "like", "session:%")
    .where("updated_at", "<", cutoff)
    .where(sql<boolean>`value ? 'conversations'`)
    .executeTakeFirst();
  totals.conversations = Number(sessions.numUpdatedRows);
  return totals;
}

export function draftsTtlJob(db: Db, ttlDays: number, intervalMs = 60 * 60 * 1000): Job {
  return {
    name: "drafts-ttl",
    intervalMs,
    run: (signal) => expireAbandonedDrafts(db, { ttlDays, signal }).then((result) => ({ ...result })),
  };
}
