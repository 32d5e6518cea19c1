import type { Transaction } from "kysely";
import type { Database } from "../db/types.js";

export type PhotoBytesDeletion = "erasure" | "withdrawn_retention";

/**
 * Deletes the stored pictures but keeps their rows: sizes, SHA-256 hashes and perceptual hashes stay, so the
 * record still shows what was received and a copy turning up later can be matched. Each case's audit log says
 * when and why its photos went.
 */
export async function deletePhotoBytes(
  trx: Transaction<Database>,
  photoIds: string[],
  reason: PhotoBytesDeletion,
  now: Date,
): Promise<number> {
  if (photoIds.length === 0) return 0;
  const deleted = await trx
    .updateTable("photos")
    .set({ data: null, data_deleted_at: now })
    .where("id", "in", photoIds)
    .where("data", "is not", null)
    .returning("case_id")
    .execute();
  const perCase = new Map<string, number>();
  for (const { case_id } of deleted) {
    if (case_id) perCase.set(case_id, (perCase.get(case_id) ?? 0) + 1);
  }
  if (perCase.size > 0) {
    await trx
      .insertInto("case_events")
      .values(
        [...perCase].map(([caseId, photos]) => ({
          case_id: caseId,
          actor_kind: "system" as const,
          actor_id: null,
          kind: "photos_deleted",
          data: JSON.stringify({ photos, reason }),
          created_at: now,
        })),
      )
      .execute();
  }
  return deleted.length;
}
