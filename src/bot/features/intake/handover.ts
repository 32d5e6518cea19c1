import type { Context } from "grammy";
import type { Draft } from "../../../db/types.js";

/**
 * Updates that a step has finished with (answer saved, or found to be stale, its button already answered).
 * The dispatcher then asks the next question in the same update instead of treating it as a fresh message.
 * Keyed by the outside context object, which lives for one update only.
 */
const handedOver = new WeakSet<Context>();
/**
 * The draft as the step handing over saved it, or as the dispatcher read it for the step it enters: the next
 * reader in the same update takes it instead of reading the row again. Each copy is taken once.
 */
const knownDrafts = new WeakMap<Context, Draft>();

export function handOver(ctx: Context, saved?: Draft): void {
  handedOver.add(ctx);
  if (saved) knownDrafts.set(ctx, saved);
  else knownDrafts.delete(ctx);
}

export function takeHandover(ctx: Context): boolean {
  const had = handedOver.has(ctx);
  handedOver.delete(ctx);
  return had;
}

export function offerDraft(ctx: Context, draft: Draft): void {
  knownDrafts.set(ctx, draft);
}

/** The draft this update last saved or read, if it is the one asked for; undefined means: read it. */
export function takeKnownDraft(ctx: Context, draftKey?: string): Draft | undefined {
  const draft = knownDrafts.get(ctx);
  knownDrafts.delete(ctx);
  return draft && (draftKey === undefined || draft.draft_key === draftKey) ? draft : undefined;
}
