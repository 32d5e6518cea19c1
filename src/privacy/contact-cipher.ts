import type { DataKey, Keys } from "./keys.js";
import { findDataKey, openBytes, sealBytes } from "./sealing.js";

const PURPOSE = "svidok:contact-chat:v1";

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

/** The chat id a moderator's question goes to, readable only with DATA_KEY. */
export function sealContact(chatId: number, key: DataKey): SealedContact {
  return { sealed: sealBytes(Buffer.from(String(chatId), "utf8"), key, PURPOSE), keyId: key.id };
}

export function openContact(sealed: SealedContact, keys: Pick<Keys, "dataKey" | "previousDataKeys">): number {
  const key = findDataKey(keys, sealed.keyId);
  if (!key) throw new ContactKeyMissingError(sealed.keyId);
  return Number(openBytes(sealed.sealed, key, PURPOSE).toString("utf8"));
}
