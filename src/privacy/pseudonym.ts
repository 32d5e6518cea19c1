import { createHmac } from "node:crypto";

export type Pseudonymize = (telegramId: number | string) => string;

/** A keyed hash: without the key, a leaked database cannot be searched for a known Telegram id. */
export function createPseudonymizer(key: Buffer): Pseudonymize {
  return (telegramId) => createHmac("sha256", key).update(`tg:${telegramId}`).digest("hex");
}
