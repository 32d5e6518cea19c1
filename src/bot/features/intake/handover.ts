import type { Context } from "grammy";

/**
 * Updates that a step has finished with (answer saved, or found to be stale, its button already answered).
 * The dispatcher then asks the next question in the same update instead of treating it as a fresh message.
 * Keyed by the outside context object, which lives for one update only.
 */
const handedOver = new WeakSet<Context>();

export function handOver(ctx: Context): void {
  handedOver.add(ctx);
}

export function takeHandover(ctx: Context): boolean {
  const had = handedOver.has(ctx);
  handedOver.delete(ctx);
  return had;
}
