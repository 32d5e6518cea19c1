import type { Db } from "./connect.js";
import type { Draft, Locale, Reporter } from "./types.js";
import type { Transaction } from "kysely";
import type { Database } from "./types.js";

type Executor = Db | Transaction<Database>;

export async function findReporter(db: Executor, pseudonym: string): Promise<Reporter | undefined> {
  return db.selectFrom("reporters").selectAll().where("pseudonym", "=", pseudonym).executeTakeFirst();
}

/** The reporter row appears when a person first agrees to report, not on first contact. */
export async function ensureReporter(db: Executor, pseudonym: string, locale: Locale): Promise<Reporter> {
  const row = await db
    .insertInto("reporters")
    .values({ pseudonym, locale })
    .onConflict((oc) => oc.column("pseudonym").doUpdateSet({ locale }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return row;
}

export async function setReporterLocale(db: Executor, pseudonym: string, locale: Locale): Promise<void> {
  await db.updateTable("reporters").set({ locale }).where("pseudonym", "=", pseudonym).execute();
}

export interface ReportStart {
  /** The report in progress; a person fills in one at a time, and should two exist the latest touched is current. */
  open: Draft | undefined;
  /** Reports the person began since the moment asked about: those sent, withdrawn or not, and the one in progress. */
  startedSince: number;
}

/** What starting a report needs to know, in one reading. */
export async function findReportStart(db: Executor, pseudonym: string, since: Date): Promise<ReportStart> {
  const row = await db
    .selectFrom("reporters")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("drafts")
          .selectAll()
          .whereRef("drafts.reporter_id", "=", "reporters.id")
          .orderBy("drafts.updated_at", "desc")
          .limit(1)
          .as("open"),
      (join) => join.onTrue(),
    )
    .where("reporters.pseudonym", "=", pseudonym)
    .selectAll("open")
    .select((eb) => [
      eb
        .selectFrom("cases")
        .whereRef("cases.reporter_id", "=", "reporters.id")
        .where("cases.created_at", ">=", since)
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("sent_since"),
      eb
        .selectFrom("drafts")
        .whereRef("drafts.reporter_id", "=", "reporters.id")
        .where("drafts.created_at", ">=", since)
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("open_since"),
    ])
    .executeTakeFirst();
  if (!row) return { open: undefined, startedSince: 0 };
  const { sent_since, open_since, draft_key, reporter_id, step, answers, created_at, updated_at } = row;
  const open = draft_key !== null && reporter_id !== null && step !== null && created_at !== null && updated_at !== null
    ? { draft_key, reporter_id, step, answers: answers as Draft["answers"], created_at, updated_at }
    : undefined;
  return { open, startedSince: Number(sent_since ?? 0) + Number(open_since ?? 0) };
}
