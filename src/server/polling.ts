import { setMaxListeners } from "node:events";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext } from "../bot/context.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";
import type { UpdateProcessor } from "./update-processor.js";

export interface PollingOptions {
  allowedUpdates: ReadonlyArray<Exclude<keyof Update, "update_id">>;
  /** Key under which updates are handled one after another (the chat). */
  orderKey: (update: Update) => string;
  /** Most updates taken in and not finished; Telegram returns at most 100 from the oldest unconfirmed one. */
  maxInFlight?: number;
  /** While updates are in flight, new ones are asked for this often (a long poll would return at once). */
  busyPollMs?: number;
  /** Backoff between attempts of an update that waits for the database. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Long-poll timeout in seconds when nothing is in flight. */
  longPollSeconds?: number;
}

export interface Poller {
  /** Stops asking for updates, lets attempts under way finish, confirms what was done, and resolves. */
  stop(): Promise<void>;
}

/**
 * Long polling that never confirms an update before it is done. `getUpdates` confirms every update below the
 * offset it is given, so the offset only moves past an update once it has been handled (or given up for good);
 * an update waiting for the database keeps it where it is, and if the process dies Telegram hands the update
 * out again. The price: while anything is in flight Telegram returns the unfinished updates on every call, so
 * new ones are polled for every `busyPollMs` instead of by a held long poll, and no more than 100 updates past
 * the oldest unfinished one can be in flight. Updates sharing an order key (a chat) run one after another,
 * retries included, so a chat's messages are never handled out of order.
 */
export function startPolling(
  bot: Bot<BotContext>,
  processor: UpdateProcessor,
  logger: Logger,
  metrics: Metrics,
  options: PollingOptions,
): Poller {
  const maxInFlight = Math.min(options.maxInFlight ?? 100, 100);
  // A new message waits for the next call while others are in flight: 250 ms put a tenth of the answers, with 200
  // people reporting at a person's pace, above 100 ms. Each call costs a round trip and the unfinished updates again.
  const busyPollMs = options.busyPollMs ?? 100;
  const retryInitialMs = options.retryInitialMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const longPollSeconds = options.longPollSeconds ?? 30;
  // A full window is refilled in one go once half of it is free: asking again for every freed place would have
  // Telegram send the whole window of unfinished updates for each new one (57 for every update handled, measured
  // with 200 people reporting at once).
  const refillAt = Math.floor(maxInFlight / 2);
  let refilling = false;
  const abort = new AbortController();
  // Every chat waiting to retry listens for the stop: dozens at once during a database outage, none left over.
  setMaxListeners(0, abort.signal);
  let stopping = false;
  let nextOffset = 0;
  /** Taken in and not done: running, queued behind its chat, waiting for the database, or left for the next start. */
  const unfinished = new Map<number, Promise<void>>();
  const chains = new Map<string, Promise<void>>();
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  /** Waits `ms` (forever if undefined), or less if an update finishes (`woken`) or polling stops. */
  const pause = (ms: number | undefined, woken = false) =>
    new Promise<void>((resolve) => {
      if (abort.signal.aborted) return resolve();
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        abort.signal.removeEventListener("abort", done);
        if (wake === done) wake = undefined;
        resolve();
      }
      abort.signal.addEventListener("abort", done);
      if (woken) wake = done;
    });

  /** Resolves true once the update is done; false if stopping left it for the next start. */
  async function handle(update: Update): Promise<boolean> {
    let delay = retryInitialMs;
    for (;;) {
      if (stopping) return false;
      if ((await processor.attempt(update)) === "done") return true;
      await pause(delay);
      delay = Math.min(delay * 2, retryMaxMs);
    }
  }

  function take(update: Update): void {
    const key = options.orderKey(update);
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      const done = await handle(update).catch((error: unknown) => {
        logger.error({ err: error, updateId: update.update_id }, "update handling crashed");
        return true;
      });
      const wasLowest = update.update_id === lowestUnfinished();
      if (done) unfinished.delete(update.update_id);
      metrics.updatesInFlight(unfinished.size);
      // Asking again at once pays only when it confirms something or refills the window; else the busy interval will do.
      if ((done && wasLowest) || unfinished.size === refillAt || unfinished.size === 0) wakeUp();
    });
    chains.set(key, run);
    unfinished.set(update.update_id, run);
    void run.finally(() => {
      if (chains.get(key) === run) chains.delete(key);
    });
  }

  const lowestUnfinished = () => (unfinished.size === 0 ? undefined : Math.min(...unfinished.keys()));

  async function loop(): Promise<void> {
    let failureDelay = 500;
    while (!stopping) {
      if (unfinished.size >= maxInFlight) refilling = true;
      if (refilling && unfinished.size > refillAt) {
        await pause(undefined, true);
        continue;
      }
      refilling = false;
      const busy = unfinished.size > 0;
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          {
            offset: lowestUnfinished() ?? nextOffset,
            limit: 100,
            timeout: busy ? 0 : longPollSeconds,
            allowed_updates: [...options.allowedUpdates],
          },
          // grammY types the signal with its own shim of AbortSignal; Node's is what it uses at run time.
          abort.signal as Parameters<typeof bot.api.getUpdates>[1],
        );
        failureDelay = 500;
      } catch (error) {
        if (stopping) break;
        logger.warn({ err: error }, "could not fetch updates; trying again");
        await pause(failureDelay);
        failureDelay = Math.min(failureDelay * 2, 60_000);
        continue;
      }
      const fresh = updates.filter((update) => update.update_id >= nextOffset);
      for (const update of fresh) take(update);
      if (fresh.length > 0) {
        nextOffset = fresh[fresh.length - 1]!.update_id + 1;
        metrics.updatesInFlight(unfinished.size);
      } else if (busy) {
        await pause(busyPollMs, true);
      }
    }
  }

  const task = loop().catch((error: unknown) => logger.fatal({ err: error }, "polling stopped"));

  return {
    async stop() {
      stopping = true;
      abort.abort();
      wakeUp();
      await task;
      await Promise.allSettled([...chains.values()]);
      const offset = lowestUnfinished() ?? nextOffset;
      if (offset > 0) {
        // Confirms what was handled, so the next start does not receive it again (it would be skipped anyway).
        await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch((error: unknown) => {
          logger.warn({ err: error }, "could not confirm the last handled updates");
        });
      }
      if (unfinished.size > 0) logger.info({ updates: unfinished.size }, "updates left for the next start");
    },
  };
}
