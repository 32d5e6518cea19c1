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
