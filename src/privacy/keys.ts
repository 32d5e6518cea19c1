import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
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
  const dataKey = toDataKey(decodeKey(config.dataKey)!);
  const previous = config.previousDataKeys.map((k) => toDataKey(decodeKey(k)!)).filter((k) => k.id !== dataKey.id);
  return {
    pseudonymKey: decodeKey(config.pseudonymKey)!,
    dataKey,
    previousDataKeys: previous.filter((k, i) => previous.findIndex((other) => other.id === k.id) === i),
  };
}

/** The keys the embedded default generates and keeps beside its data, as hex. */
export interface KeyFile {
  pseudonymKey: string;
  dataKey: string;
  /** Data keys replaced by `npm run rotate-keys` whose re-sealing has not finished yet. */
  previousDataKeys?: string[];
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, "keys.json");
}

export async function readKeyFile(dataDir: string): Promise<KeyFile | undefined> {
  try {
    return JSON.parse(await readFile(keyFilePath(dataDir), "utf8")) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return undefined;
  }
}

/** Written beside, then renamed over the old file: a crash leaves the old keys or the new, never half a file. */
export async function writeKeyFile(dataDir: string, keys: KeyFile): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = keyFilePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

export function newKeyHex(): string {
  return randomBytes(32).toString("hex");
}

/**
 * With a real server the keys are required settings. On the embedded default they are made once and kept
 * beside the data, readable by the owner only, so a pilot starts with `BOT_TOKEN` alone. A key set in the
 * environment wins over the file; the file's data key then still opens what it sealed, so moving from
 * generated keys to configured ones loses nothing.
 */
export async function resolveKeys(config: Config, logger: Logger): Promise<Keys> {
  const configured = keysFromConfig(config);
  if (configured && config.databaseUrl) return configured;
  let stored = await readKeyFile(config.dataDir);
  if (!stored && configured) return configured;
  if (!stored) {
    stored = { pseudonymKey: newKeyHex(), dataKey: newKeyHex() };
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    await writeFile(keyFilePath(config.dataDir), `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await chmod(keyFilePath(config.dataDir), 0o600);
    logger.warn(
      { file: keyFilePath(config.dataDir) },
      "Generated new PSEUDONYM_KEY and DATA_KEY. Back this file up: without it, reporters cannot be recognised and contact data cannot be read.",
    );
  }
  const dataKey = config.dataKey ?? stored.dataKey;
  return keysFromConfig({
    pseudonymKey: config.pseudonymKey ?? stored.pseudonymKey,
    dataKey,
    previousDataKeys: [...config.previousDataKeys, ...(stored.previousDataKeys ?? []), stored.dataKey],
  })!;
}
