import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import { deletePhotoBytes } from "../privacy/photo-bytes.js";
import type { Job } from "./job-runner.js";

export interface RetentionOptions {
  retentionDays: number;
  /** Photos handled per transaction. */
  batchSize?: number;
  /** The clock, for tests. */
  now?: Date;
  signal?: AbortSignal;
}

/**
 * Deletes the photo bytes of cases withdrawn more than `retentionDays` ago; rows, hashes and audit events stay.
 * The days count from the withdrawal itself (its audit event), not from the case's last change. Safe on several
 * processes at once: photos are taken with `for update skip locked`, so two runs never take the same photo, and
 * a photo whose bytes are gone is not taken again.
 */
export async function deleteWithdrawnPhotos(db: Db, options: RetentionOptions): Promise<{ photos: number }> {
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 24 * 60 * 60 * 1000);
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const done = await db.transaction().execute(async (trx) => {
      const photos = await trx
        .selectFrom("photos")
        .innerJoin("cases", "cases.id", "photos.case_id")
        .select("photos.id")
        .where("photos.data", "is not", null)
        .where("cases.status", "=", "withdrawn")
        .where(
          sql<Date>`coalesce((select max(e.created_at) from case_events e where e.case_id = cases.id and e.to_status = 'withdrawn'), cases.updated_at)`,
          "<",
          cutoff,
        )
        .limit(batchSize)
        .forUpdate("photos")
        .skipLocked()
        .execute();
      return deletePhotoBytes(
        trx,
        photos.map((p) => p.id),
        "withdrawn_retention",
        now,
      );
    });
    total += done;
    if (done < batchSize) break;
  }
  return { photos: total };
}

export function withdrawnRetentionJob(db: Db, retentionDays: number, intervalMs = 60 * 60 * 1000): Job {
  return {
    name: "withdrawn-photos-retention",
    intervalMs,
    run: (signal) => deleteWithdrawnPhotos(db, { retentionDays, signal }),
  };
}
