import type { DataKey, Keys } from "./keys.js";
import { findDataKey, openBytes, sealBytes } from "./sealing.js";

const PURPOSE = "svidok:conversation-state:v1";

/**
 * A conversation's state as stored: its replay log holds whole Telegram updates (the person's id, name,
 * username and words), so it is kept sealed under DATA_KEY like a contact, never as readable JSON.
 */
export interface SealedState {
  /** id of the data key that sealed it */
  k: string;
  /** base64 of nonce ‖ ciphertext ‖ tag */
  s: string;
}

export function isSealedState(value: unknown): value is SealedState {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as SealedState).k === "string" &&
    typeof (value as SealedState).s === "string"
  );
}

export function sealState(value: unknown, key: DataKey): SealedState {
  return { k: key.id, s: sealBytes(Buffer.from(JSON.stringify(value), "utf8"), key, PURPOSE) };
}

/**
 * The state, or undefined when it cannot be read: sealed with a key no longer configured, altered, or not
 * sealed at all. A conversation whose state is lost asks its question again from the draft, so losing it
 * is safe; reading a state nobody can vouch for is not.
 */
export function openState<T>(stored: unknown, keys: Pick<Keys, "dataKey" | "previousDataKeys">): T | undefined {
  if (!isSealedState(stored)) return undefined;
  const key = findDataKey(keys, stored.k);
  if (!key) return undefined;
  try {
    return JSON.parse(openBytes(stored.s, key, PURPOSE).toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export interface StateField<C> {
  get(ctx: C): unknown;
  set(ctx: C, sealed: SealedState): void;
  remove(ctx: C): void;
}

/** A storage adapter for state kept in a field of the context (the session), sealed on write, opened on read. */
export function sealedStateAdapter<C, T>(keys: Keys, field: StateField<C>) {
  return {
    read: (ctx: C): T | undefined => openState<T>(field.get(ctx), keys),
    write: (ctx: C, state: T): void => field.set(ctx, sealState(state, keys.dataKey)),
    delete: (ctx: C): void => field.remove(ctx),
  };
}
