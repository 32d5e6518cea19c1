import { Migrator, type MigrationResultSet } from "kysely/migration";
import { migrations } from "../../migrations/index.js";
import type { Db } from "./connect.js";

/**
 * `schema` names where Kysely keeps its own bookkeeping tables. Without it Kysely looks for them in every
 * schema of the database, so a second schema (a test's, another app's) would be taken as already migrated.
 */
export function createMigrator(db: Db, schema?: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export class MigrationFailedError extends Error {
  readonly code = "MIGRATION_FAILED";
}

export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const result = await createMigrator(db, schema).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationFailedError(`migration ${failed} failed: ${reason}`, { cause: result.error });
  }
  return result;
}
