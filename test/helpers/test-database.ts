import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import { createPGlite, type DatabaseHandle, openPostgres, wrapPGlite } from "../../src/db/connect.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const testDatabaseKind: "postgres" | "pglite" = testDatabaseUrl ? "postgres" : "pglite";

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL: the name of the database this test database is. */
  name?: string;
  /** Connection string of this database, for a child process (spawned bot) to use the same data. */
  connectionString?: string;
}

/** Connection string of another database on TEST_DATABASE_URL's server, with the same user and options. */
export function urlOfDatabase(name: string): string {
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `statement` on TEST_DATABASE_URL's own database, for creating and dropping the tests' databases. */
export async function onServer(statement: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    return await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A new, migrated, empty database: a PGlite loaded from the run's template, or on the PostgreSQL server named by
 * TEST_DATABASE_URL a database of its own copied from the run's migrated template (dropped on close). A database
 * per test rather than a schema: PostgreSQL's catalog, advisory locks and Kysely's migration bookkeeping are
 * per database, so no test sees another's tables appear and vanish.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const template = await readFile(inject("pgliteTemplate"));
    const instance = await createPGlite(undefined, new Blob([template]));
    return wrapPGlite(instance);
  }
  const name = `${inject("postgresTemplate")}_${randomBytes(4).toString("hex")}`;
  await onServer(`create database ${name} template ${inject("postgresTemplate")}`);
  const connectionString = urlOfDatabase(name);
  const handle = openPostgres({ connectionString });
  return {
    ...handle,
    kind: "postgres",
    name,
    connectionString,
    async close() {
      await handle.close();
      await onServer(`drop database if exists ${name} with (force)`).catch(() => undefined);
    },
  };
}
