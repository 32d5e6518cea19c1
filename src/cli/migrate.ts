import { loadCliConfig } from "./cli-config.js";
import { openDatabase } from "../db/connect.js";
import { migrateToLatest } from "../db/migrate.js";

const config = loadCliConfig();
const database = await openDatabase(config);
try {
  const result = await migrateToLatest(database.db);
  const applied = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
  process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "database is up to date\n");
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
