import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { DataKey, Keys } from "./keys.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random nonce per value, so equal values never seal to equal text. `purpose` is
 * bound as associated data: a value sealed for one use (a contact) cannot be passed off as another (a
 * conversation's state). The result is base64 of nonce ‖ ciphertext ‖ tag.
 */
export function sealBytes(plain: Buffer, key: DataKey, purpose: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(Buffer.from(purpose));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString("base64");
}

/** Throws when the text was not sealed with this key for this purpose, or was altered. */
export function openBytes(sealed: string, key: DataKey, purpose: string): Buffer {
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error("sealed value is too short");
  const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
}

/** The configured key with this id: the current one or one kept from before a rotation. */
export function findDataKey(keys: Pick<Keys, "dataKey" | "previousDataKeys">, keyId: string): DataKey | undefined {
  return [keys.dataKey, ...keys.previousDataKeys].find((k) => k.id === keyId);
}
