import type { Db } from "./connect.js";
import type { Locale, Reporter } from "./types.js";
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

/** Reports a person began since a moment: those sent, withdrawn or not, and the one in progress. */
export async function countReportsStartedSince(db: Executor, pseudonym: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("reporters")
    .where("reporters.pseudonym", "=", pseudonym)
    .select((eb) => [
      eb
        .selectFrom("cases")
        .whereRef("cases.reporter_id", "=", "reporters.id")
        .where("cases.created_at", ">=", since)
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("sent"),
      eb
        .selectFrom("drafts")
        .whereRef("drafts.reporter_id", "=", "reporters.id")
        .where("drafts.created_at", ">=", since)
        .select((c) => c.fn.countAll<number>().as("n"))
        .as("open"),
    ])
    .executeTakeFirst();
  return Number(row?.sent ?? 0) + Number(row?.open ?? 0);
}
