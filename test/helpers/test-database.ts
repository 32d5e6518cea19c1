import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { createPGlite, type DatabaseHandle, openPostgres, wrapPGlite } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const testDatabaseKind: "postgres" | "pglite" = testDatabaseUrl ? "postgres" : "pglite";

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL: the schema this test database lives in. */
  schema?: string;
  /** Connection string with the search path set, for a child process (spawned bot) to use the same data. */
  connectionString?: string;
}

/**
 * A new, migrated, empty database: a PGlite loaded from the run's template, or a schema of its own on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped on close), so tests never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const template = await readFile(inject("pgliteTemplate"));
    const instance = await createPGlite(undefined, new Blob([template]));
    return wrapPGlite(instance);
  }
  const schema = `t_${inject("runId")}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const handle = openPostgres({ connectionString: testDatabaseUrl, searchPath: schema });
  await migrateToLatest(handle.db, schema);
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    ...handle,
    kind: "postgres",
    schema,
    connectionString: url.toString(),
    async close() {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db).catch(() => undefined);
      await handle.close();
    },
  };
}
