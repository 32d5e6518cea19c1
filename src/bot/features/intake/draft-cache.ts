import type { Draft } from "../../../db/types.js";

/**
 * Drafts as this process last saved or read them, so the answer to the next question need not read the row
 * again. A copy is only ever a guess: the answer is saved on condition that the row still holds exactly the
 * copy's step and answers, and read afresh otherwise (another process took the chat's last update, the
 * housekeeping job deleted the draft). Copies are few and short-lived, so memory stays flat.
 */
export interface DraftCache {
  /** The copy, removed from the cache; undefined when there is none or it has grown old. */
  take(draftKey: string): Draft | undefined;
  keep(draft: Draft): void;
  forget(draftKey: string): void;
}

export function createDraftCache(options: { max?: number; maxAgeMs?: number } = {}): DraftCache {
  const max = options.max ?? 2_000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  // A Map iterates in insertion order, so its first key is the copy kept longest ago.
  const copies = new Map<string, { draft: Draft; keptAt: number }>();
  return {
    take(draftKey) {
      const copy = copies.get(draftKey);
      copies.delete(draftKey);
      return copy && Date.now() - copy.keptAt <= maxAgeMs ? copy.draft : undefined;
    },
    keep(draft) {
      copies.delete(draft.draft_key);
      copies.set(draft.draft_key, { draft, keptAt: Date.now() });
      if (copies.size > max) copies.delete(copies.keys().next().value!);
    },
    forget(draftKey) {
      copies.delete(draftKey);
    },
  };
}
