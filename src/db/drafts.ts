import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Db } from "./connect.js";
import type { Database, Draft, Locale } from "./types.js";

type Executor = Db | Transaction<Database>;

export async function findDraft(db: Executor, draftKey: string): Promise<Draft | undefined> {
  return db.selectFrom("drafts").selectAll().where("draft_key", "=", draftKey).executeTakeFirst();
}

/**
 * The draft a person's "I agree" opens, in one statement: their reporter row is made (or its language brought up to
 * date), and their open draft is returned if they have one (an agreement pressed twice, or delivered again), else a
 * new draft at `step` is created.
 */
export async function openDraftOfReporter(
  db: Executor,
  pseudonym: string,
  locale: Locale,
  step: string,
  answers: Record<string, unknown>,
): Promise<Draft> {
  const row = await db
    .with("reporter", (q) =>
      q
        .insertInto("reporters")
        .values({ pseudonym, locale })
        .onConflict((oc) => oc.column("pseudonym").doUpdateSet({ locale }))
        .returning("id"),
    )
    .with("open", (q) =>
      q
        .selectFrom("drafts")
        .selectAll()
        .where("reporter_id", "=", (eb) => eb.selectFrom("reporter").select("id"))
        .orderBy("updated_at", "desc")
        .limit(1),
    )
    .with("created", (q) =>
      q
        .insertInto("drafts")
        .columns(["draft_key", "reporter_id", "step", "answers"])
        .expression((eb) =>
          eb
            .selectFrom("reporter")
            .select([
              sql<string>`${randomUUID()}::text`.as("draft_key"),
              "reporter.id",
              sql<string>`${step}::text`.as("step"),
              sql<string>`${JSON.stringify(answers)}::jsonb`.as("answers"),
            ])
            .where((w) => w.not(w.exists(w.selectFrom("open").select("open.draft_key")))),
        )
        .returningAll(),
    )
    .selectFrom("open")
    .selectAll()
    .unionAll((q) => q.selectFrom("created").selectAll())
    .executeTakeFirstOrThrow();
  return row as Draft;
}

/** A reporter fills in one report at a time; should two ever exist, the most recently touched one is current. */
export async function findDraftOfReporter(db: Executor, pseudonym: string): Promise<Draft | undefined> {
  return db
    .selectFrom("drafts")
    .innerJoin("reporters", "reporters.id", "drafts.reporter_id")
    .selectAll("drafts")
    .where("reporters.pseudonym", "=", pseudonym)
    .orderBy("drafts.updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Saves the answers and moves the draft to `nextStep`, but only if it is still at `expectedStep`. A redelivered or
 * replayed answer to a question that was already answered then changes nothing (false is returned).
 */
export async function advanceDraft(
  db: Executor,
  draftKey: string,
  expectedStep: string,
  nextStep: string,
  answers: Record<string, unknown>,
): Promise<boolean> {
  return (await advanceDraftReturning(db, draftKey, expectedStep, nextStep, answers)) !== undefined;
}

/**
 * As advanceDraft, giving back the draft as saved (undefined if it had moved on), so it need not be read again.
 * With `expectedAnswers`, only if the draft also still holds exactly those answers (compared as jsonb).
 */
export async function advanceDraftReturning(
  db: Executor,
  draftKey: string,
  expectedStep: string,
  nextStep: string,
  answers: Record<string, unknown>,
  expectedAnswers?: Record<string, unknown>,
): Promise<Draft | undefined> {
  return db
    .updateTable("drafts")
    .set({ step: nextStep, answers: JSON.stringify(answers), updated_at: new Date() })
    .where("draft_key", "=", draftKey)
    .where("step", "=", expectedStep)
    .$if(expectedAnswers !== undefined, (qb) => qb.where(sql<boolean>`answers = ${JSON.stringify(expectedAnswers)}::jsonb`))
    .returningAll()
    .executeTakeFirst();
}

/** Marks the draft as touched without changing an answer, so the housekeeping job does not expire a draft in use. */
export async function touchDraft(db: Executor, draftKey: string): Promise<void> {
  await db.updateTable("drafts").set({ updated_at: new Date() }).where("draft_key", "=", draftKey).execute();
}

/** The draft and its photos not yet attached to a case, in one transaction. */
export async function deleteDraft(db: Db, draftKey: string): Promise<{ photos: number }> {
  return db.transaction().execute(async (trx) => {
    const photos = await trx
      .deleteFrom("photos")
      .where("draft_key", "=", draftKey)
      .where("case_id", "is", null)
      .executeTakeFirst();
    await trx.deleteFrom("drafts").where("draft_key", "=", draftKey).execute();
    return { photos: Number(photos.numDeletedRows) };
  });
}
