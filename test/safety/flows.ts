import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { inject } from "vitest";
import { createPGlite, wrapPGlite } from "../../src/db/connect.js";
import type { Db } from "../../src/db/connect.js";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../helpers/test-database.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { expectText, readReview, reportUntilPhotos, submit, type T } from "../intake/flow.js";

export interface ReportOptions {
  photo?: Buffer;
  narrative?: string;
  contact: boolean;
}

/** A short report from /new to its reference, with a photo, a narrative and the contact answer as given. */
export async function fileReport(user: TelegramUser, t: T, options: ReportOptions): Promise<string> {
  await reportUntilPhotos(user, t);
  if (options.photo) {
    await user.sendsPhoto(options.photo);
    await expectText(user, t, "intake-photos-received", { total: 1, max: 20 });
    await user.taps(t("intake-photos-done"));
  } else {
    await user.taps(t("intake-button-skip"));
  }
  await expectText(user, t, "intake-narrative-question", { max: 4000 });
  if (options.narrative) await user.says(options.narrative);
  else await user.taps(t("intake-button-skip"));
  await expectText(user, t, "intake-contact-question");
  await user.taps(t(options.contact ? "intake-contact-yes" : "intake-contact-no"));
  await readReview(user, t);
  const ref = await submit(user, t);
  await user.settled();
  return ref;
}

/** A test database whose raw files can be read too: a PGlite kept at hand, or a database on TEST_DATABASE_URL's server. */
export async function inspectableDatabase(): Promise<{ database: TestDatabase; pglite?: PGlite }> {
  if (testDatabaseUrl) return { database: await createTestDatabase() };
  const pglite = await createPGlite(undefined, new Blob([await readFile(inject("pgliteTemplate"))]));
  return { database: wrapPGlite(pglite), pglite };
}

const run = promisify(execFile);

/**
 * Everything the database holds, as text a `grep` reads. On PostgreSQL this is `pg_dump` itself. PGlite has no
 * pg_dump: every row of every table is read in PostgreSQL's own text form (what pg_dump's COPY writes, bytea
 * as hex), and its raw data files — heap pages and write-ahead log, dead rows included — are added too.
 */
export async function dumpDatabase(database: TestDatabase, pglite?: PGlite): Promise<{ kind: string; text: string; raw?: Buffer }> {
  if (database.name && testDatabaseUrl) {
    const url = new URL(testDatabaseUrl);
    const { stdout } = await run(
      "pg_dump",
      ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), database.name],
      { maxBuffer: 512 * 1024 * 1024 },
    );
    return { kind: "pg_dump", text: stdout };
  }
  const db: Db = database.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(db);
    parts.push(`-- ${table_name}`, ...rows.rows.map((r) => r.row));
  }
  await pglite!.query("checkpoint");
  const raw = Buffer.from(await (await pglite!.dumpDataDir("none")).arrayBuffer());
  return { kind: "rows in text form and raw data files", text: parts.join("\n"), raw };
}

/** Every needle found in the haystack, for a failure message that says what leaked. */
export function found(haystack: string | Buffer, needles: string[]): string[] {
  return needles.filter((needle) => haystack.includes(needle));
}
