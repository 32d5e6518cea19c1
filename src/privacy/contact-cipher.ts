import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { DataKey, Keys } from "./keys.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from("svidok:contact-chat:v1");

export interface SealedContact {
  /** base64 of nonce ‖ ciphertext ‖ tag */
  sealed: string;
  keyId: string;
}

export class ContactKeyMissingError extends Error {
  readonly code = "CONTACT_KEY_MISSING";
  constructor(readonly keyId: string) {
    super(`contact data was sealed with key ${keyId}, which is not configured (DATA_KEY or DATA_KEYS_PREVIOUS)`);
  }
}

/** AES-256-GCM with a fresh random nonce per value: the same chat id never encrypts to the same text twice. */
export function sealContact(chatId: number, key: DataKey): SealedContact {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(String(chatId), "utf8"), cipher.final()]);
  return { sealed: Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString("base64"), keyId: key.id };
}

export function openContact(sealed: SealedContact, keys: Pick<Keys, "dataKey" | "previousDataKeys">): number {
  const key = [keys.dataKey, ...keys.previousDataKeys].find((k) => k.id === sealed.keyId);
  if (!key) throw new ContactKeyMissingError(sealed.keyId);
  const raw = Buffer.from(sealed.sealed, "base64");
  const nonce = raw.subarray(0, NONCE_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key.key, nonce);
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  return Number(plain.toString("utf8"));
}
