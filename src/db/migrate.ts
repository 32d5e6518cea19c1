import { Migrator, type MigrationResultSet } from "kysely/migration";
import { migrations } from "../../migrations/index.js";
import type { Db } from "./connect.js";

export function createMigrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export class MigrationFailedError extends Error {
  readonly code = "MIGRATION_FAILED";
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationFailedError(`migration ${failed} failed: ${reason}`, { cause: result.error });
  }
  return result;
}
