import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { createPGlite, type DatabaseHandle, openPostgres, wrapPGlite } from "../../src/db/connect.js";
import { onServer, urlOfDatabase } from "./postgres-server.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const testDatabaseKind: "postgres" | "pglite" = testDatabaseUrl ? "postgres" : "pglite";

export interface TestDatabase extends DatabaseHandle {
  /** For PostgreSQL: the name of the database this test database is. */
  name?: string;
  /** Connection string of this database, for a child process (spawned bot) to use the same data. */
  connectionString?: string;
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
  const serverUrl = testDatabaseUrl;
  await onServer(serverUrl, (client) => client.query(`create database ${name} template ${inject("postgresTemplate")}`));
  const connectionString = urlOfDatabase(serverUrl, name);
  const handle = openPostgres({ connectionString });
  return {
    ...handle,
    kind: "postgres",
    name,
    connectionString,
    async close() {
      await handle.close();
      await onServer(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).catch(() => undefined);
    },
  };
}
