import type { Transaction } from "kysely";
import type { Db } from "./connect.js";
import type { Database } from "./types.js";

type Executor = Db | Transaction<Database>;

export interface StoredImage {
  data: Buffer;
  format: "jpeg" | "png";
  width: number;
  height: number;
  sha256: string;
  originalSha256: string;
  perceptualHash: string;
  evidence: { takenAt?: Date; latitude?: number; longitude?: number };
}

/**
 * Stores a sanitized photo of a draft at once. The same Telegram file delivered twice (a redelivered update, a
 * resent album) is stored once: the second call returns the first row's id with `duplicate: true`.
 */
export async function insertDraftPhoto(
  db: Executor,
  draftKey: string,
  fileUniqueId: string,
  image: StoredImage,
): Promise<{ id: string; duplicate: boolean }> {
  const inserted = await db
    .insertInto("photos")
    .values({
      draft_key: draftKey,
      telegram_file_unique_id: fileUniqueId,
      data: image.data,
      mime: image.format === "png" ? "image/png" : "image/jpeg",
      width: image.width,
      height: image.height,
      size_bytes: image.data.length,
      sha256: image.sha256,
      original_sha256: image.originalSha256,
      perceptual_hash: image.perceptualHash,
      // When and where the picture was taken, read before stripping: for investigators, never shown to staff chats.
      taken_at: image.evidence.takenAt ?? null,
      evidence_latitude: image.evidence.latitude ?? null,
      evidence_longitude: image.evidence.longitude ?? null,
    })
    .onConflict((oc) => oc.columns(["draft_key", "telegram_file_unique_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, duplicate: false };
  const existing = await db
    .selectFrom("photos")
    .select("id")
    .where("draft_key", "=", draftKey)
    .where("telegram_file_unique_id", "=", fileUniqueId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, duplicate: true };
}

export async function findDraftPhotoId(db: Executor, draftKey: string, fileUniqueId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("photos")
    .select("id")
    .where("draft_key", "=", draftKey)
    .where("telegram_file_unique_id", "=", fileUniqueId)
    .where("case_id", "is", null)
    .executeTakeFirst();
  return row?.id;
}

export async function countDraftPhotos(db: Executor, draftKey: string): Promise<number> {
  const row = await db
    .selectFrom("photos")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("draft_key", "=", draftKey)
    .where("case_id", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteDraftPhotos(db: Executor, draftKey: string): Promise<number> {
  const result = await db.deleteFrom("photos").where("draft_key", "=", draftKey).where("case_id", "is", null).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Moves a draft's photos to its case; afterwards they belong to the case alone. */
export async function attachDraftPhotos(db: Executor, draftKey: string, caseId: string): Promise<number> {
  const result = await db
    .updateTable("photos")
    .set({ case_id: caseId, draft_key: null })
    .where("draft_key", "=", draftKey)
    .where("case_id", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
