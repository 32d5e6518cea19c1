import type { Update } from "grammy/types";
import type { UpdateOutcome } from "./metrics.js";

// grammY hands middleware the very update object the caller passed to handleUpdate, so middleware can note how
// an update ended without a channel of its own, and the caller reads it once handleUpdate returns.
const outcomes = new WeakMap<Update, UpdateOutcome>();

/** Called by middleware that finishes an update early (a redelivery, a refusal). */
export function noteOutcome(update: Update, outcome: UpdateOutcome): void {
  outcomes.set(update, outcome);
}

/** What middleware noted for this update, or `handled`; forgets it, since a retry is a fresh attempt. */
export function takeOutcome(update: Update): UpdateOutcome {
  const outcome = outcomes.get(update) ?? "handled";
  outcomes.delete(update);
  return outcome;
}
