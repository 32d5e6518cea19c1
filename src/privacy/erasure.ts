import type { Db } from "../db/connect.js";
import type { CaseStatus } from "../db/types.js";
import { canTransition, nextStatus } from "../cases/transitions.js";
import { deletePhotoBytes } from "./photo-bytes.js";

export interface ErasurePreview {
  /** The person has a reporter row: something links them to reports, a draft or a contact. */
  known: boolean;
  /** Reports that /deletemydata will withdraw (their photos deleted). */
  toWithdraw: number;
  /** Verified reports: they stay with investigators, unlinked. */
  toKeep: number;
  /** A report being filled in. */
  draft: boolean;
}

export interface ErasureResult {
  /** Whether anything linked to the person was found. */
  found: boolean;
  withdrawn: string[];
  /** Verified reports: they stay for investigators, no longer linked to anyone. */
  kept: string[];
  /** Reports withdrawn before: unlinked too, and their photos deleted now rather than after the retention period. */
  alreadyWithdrawn: string[];
  photosDeleted: number;
  drafts: number;
}

/** What erasure would do, to say it before the person confirms. */
export async function previewErasure(db: Db, pseudonym: string): Promise<ErasurePreview> {
  const reporter = await db.selectFrom("reporters").select("id").where("pseudonym", "=", pseudonym).executeTakeFirst();
  const cases = await db
    .selectFrom("cases")
    .innerJoin("reporters", "reporters.id", "cases.reporter_id")
    .select("cases.status")
    .where("reporters.pseudonym", "=", pseudonym)
    .execute();
  const draft = await db
    .selectFrom("drafts")
    .innerJoin("reporters", "reporters.id", "drafts.reporter_id")
    .select("drafts.draft_key")
    .where("reporters.pseudonym", "=", pseudonym)
    .executeTakeFirst();
  return {
    known: reporter !== undefined,
    toWithdraw: cases.filter((c) => willWithdraw(c.status)).length,
    toKeep: cases.filter((c) => !willWithdraw(c.status) && c.status !== "withdrawn").length,
    draft: draft !== undefined,
  };
}

function willWithdraw(status: CaseStatus): boolean {
  return canTransition(status, "withdraw");
}

/**
 * /deletemydata, in one transaction: every report the person filed that is not verified is withdrawn (through the
 * status graph, with an audit event) and its photos' bytes deleted, as are those of reports they had already
 * withdrawn; verified reports stay for investigators. Every report is then unlinked, the person's drafts and
 * draft photos deleted, and their reporter row — pseudonym and sealed contact — deleted. `sessionKey` names the
 * bot_storage row of their chat, deleted too, so no state keyed by their pseudonym is left.
 */
export async function eraseReporter(
  db: Db,
  pseudonym: string,
  options: { sessionKey?: string; now?: Date } = {},
): Promise<ErasureResult> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    if (options.sessionKey) await trx.deleteFrom("bot_storage").where("key", "=", options.sessionKey).execute();
    const reporter = await trx
      .selectFrom("reporters")
      .select("id")
      .where("pseudonym", "=", pseudonym)
      .forUpdate()
      .executeTakeFirst();
    const result: ErasureResult = { found: reporter !== undefined, withdrawn: [], kept: [], alreadyWithdrawn: [], photosDeleted: 0, drafts: 0 };
    if (!reporter) return result;

    const drafts = await trx.selectFrom("drafts").select("draft_key").where("reporter_id", "=", reporter.id).execute();
    if (drafts.length > 0) {
      const keys = drafts.map((d) => d.draft_key);
      await trx.deleteFrom("photos").where("draft_key", "in", keys).where("case_id", "is", null).execute();
      await trx.deleteFrom("drafts").where("draft_key", "in", keys).execute();
      result.drafts = drafts.length;
    }

    const cases = await trx
      .selectFrom("cases")
      .select(["id", "ref", "status"])
      .where("reporter_id", "=", reporter.id)
      .orderBy("submitted_at")
      .forUpdate()
      .execute();
    const withoutPhotos: string[] = [];
    for (const c of cases) {
      if (willWithdraw(c.status)) {
        const to = nextStatus(c.status, "withdraw");
        await trx.updateTable("cases").set({ status: to, updated_at: now }).where("id", "=", c.id).execute();
        await trx
          .insertInto("case_events")
          .values({
            case_id: c.id,
            actor_kind: "reporter",
            actor_id: null,
            kind: "withdrawn",
            from_status: c.status,
            to_status: to,
            data: JSON.stringify({ erasure: true }),
            created_at: now,
          })
          .execute();
        result.withdrawn.push(c.ref);
        withoutPhotos.push(c.id);
      } else if (c.status === "withdrawn") {
        result.alreadyWithdrawn.push(c.ref);
        withoutPhotos.push(c.id);
      } else {
        result.kept.push(c.ref);
      }
    }
    if (withoutPhotos.length > 0) {
      const photos = await trx
        .selectFrom("photos")
        .select("id")
        .where("case_id", "in", withoutPhotos)
        .where("data", "is not", null)
        .execute();
      result.photosDeleted = await deletePhotoBytes(
        trx,
        photos.map((p) => p.id),
        "erasure",
        now,
      );
    }
    if (cases.length > 0) {
      await trx
        .insertInto("case_events")
        .values(
          cases.map((c) => ({
            case_id: c.id,
            actor_kind: "reporter" as const,
            actor_id: null,
            kind: "reporter_unlinked",
            created_at: now,
          })),
        )
        .execute();
      await trx.updateTable("cases").set({ reporter_id: null, updated_at: now }).where("reporter_id", "=", reporter.id).execute();
    }
    await trx.deleteFrom("reporters").where("id", "=", reporter.id).execute();
    return result;
  });
}
