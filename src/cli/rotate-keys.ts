import { loadCliConfig } from "./cli-config.js";
import type { Config } from "../config.js";
import { openDatabase } from "../db/connect.js";
import { migrateToLatest } from "../db/migrate.js";
import { createLogger } from "../logger.js";
import { verifyKeys } from "../privacy/key-check.js";
import { newKeyHex, readKeyFile, resolveKeys, writeKeyFile } from "../privacy/keys.js";
import { rotateDataKey } from "../privacy/rotate.js";

/*
 * npm run rotate-keys: re-seals every contact and conversation state under the current data key.
 *
 * With DATA_KEY set: it is the new key; the old ones are given in DATA_KEYS_PREVIOUS. Start the bot with both
 * first (it then seals new data with the new key and still reads the old), run this, then drop
 * DATA_KEYS_PREVIOUS. On the embedded default without DATA_KEY, a new key is generated into DATA_DIR/keys.json
 * (the old one kept there until every value is re-sealed, so an interrupted run is finished by running it again).
 *
 * PSEUDONYM_KEY is not rotated: see SECURITY.md.
 */

const config = loadCliConfig();
const logger = createLogger("warn", process.stderr);

async function generatedKeyRotation(cfg: Config): Promise<"started" | "resumed" | undefined> {
  if (cfg.databaseUrl || cfg.dataKey) return undefined;
  const stored = await readKeyFile(cfg.dataDir);
  if (!stored) return undefined;
  if (stored.previousDataKeys?.length) return "resumed";
  await writeKeyFile(cfg.dataDir, {
    pseudonymKey: stored.pseudonymKey,
    dataKey: newKeyHex(),
    previousDataKeys: [stored.dataKey],
  });
  return "started";
}

let database;
try {
  database = await openDatabase(config);
} catch (error) {
  process.stderr.write(`rotate-keys: ${(error as Error).message}\n`);
  process.exit(1);
}
try {
  await migrateToLatest(database.db);
  const generated = await generatedKeyRotation(config);
  const keys = await resolveKeys(config, logger);
  await verifyKeys(database.db, keys);
  const result = await rotateDataKey(database.db, keys);
  if (generated) {
    const stored = (await readKeyFile(config.dataDir))!;
    await writeKeyFile(config.dataDir, { pseudonymKey: stored.pseudonymKey, dataKey: stored.dataKey });
  }
  const from = result.fromKeyIds.length ? result.fromKeyIds.join(", ") : "nothing to re-seal";
  process.stdout.write(
    `Re-sealed ${result.contacts} contact(s) and ${result.conversations} conversation state(s) under data key ${result.keyId} (from: ${from}).\n` +
      (result.conversationsDropped ? `Dropped ${result.conversationsDropped} conversation state(s) no key could open; those reports ask their current question again.\n` : "") +
      (generated
        ? `The new key is in ${config.dataDir}/keys.json: back it up again.\n`
        : config.previousDataKeys.length
          ? "Nothing is sealed with the old keys any more: DATA_KEYS_PREVIOUS can be removed once every bot process has restarted.\n"
          : ""),
  );
} catch (error) {
  process.stderr.write(`rotate-keys: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
