import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeKey, type Config } from "../config.js";
import type { Logger } from "../logger.js";

export interface DataKey {
  id: string;
  key: Buffer;
}

export interface Keys {
  pseudonymKey: Buffer;
  /** Encrypts new contact data. */
  dataKey: DataKey;
  /** Still decrypt data written before a rotation. */
  previousDataKeys: DataKey[];
}

/** The id names a key without revealing it, so rows can say which key sealed them. */
export function dataKeyId(key: Buffer): string {
  return createHash("sha256").update("svidok-data-key-id:").update(key).digest("hex").slice(0, 12);
}

function toDataKey(key: Buffer): DataKey {
  return { id: dataKeyId(key), key };
}

export function keysFromConfig(config: Pick<Config, "pseudonymKey" | "dataKey" | "previousDataKeys">): Keys | undefined {
  if (!config.pseudonymKey || !config.dataKey) return undefined;
  return {
    pseudonymKey: decodeKey(config.pseudonymKey)!,
    dataKey: toDataKey(decodeKey(config.dataKey)!),
    previousDataKeys: config.previousDataKeys.map((k) => toDataKey(decodeKey(k)!)),
  };
}

interface KeyFile {
  pseudonymKey: string;
  dataKey: string;
}

/**
 * With a real server the keys are required settings. On the embedded default they are made once and kept
 * beside the data, readable by the owner only, so a pilot starts with `BOT_TOKEN` alone.
 */
export async function resolveKeys(config: Config, logger: Logger): Promise<Keys> {
  const configured = keysFromConfig(config);
  if (configured) return configured;
  const file = path.join(config.dataDir, "keys.json");
  let stored: KeyFile | undefined;
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!stored) {
    stored = { pseudonymKey: randomBytes(32).toString("hex"), dataKey: randomBytes(32).toString("hex") };
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await chmod(file, 0o600);
    logger.warn(
      { file },
      "Generated new PSEUDONYM_KEY and DATA_KEY. Back this file up: without it, reporters cannot be recognised and contact data cannot be read.",
    );
  }
  return keysFromConfig({
    pseudonymKey: config.pseudonymKey ?? stored.pseudonymKey,
    dataKey: config.dataKey ?? stored.dataKey,
    previousDataKeys: config.previousDataKeys,
  })!;
}
