import type { MiddlewareFn } from "grammy";
import type pg from "pg";
import type { Logger } from "../../logger.js";
import type { BotContext } from "../context.js";

/**
 * Updates of one chat are handled one at a time by every process together, so two updates of the same
 * conversation delivered to two processes cannot both read the session, both advance it, and lose one answer.
 */
export interface ChatLock {
  /** Runs `task` while no other process runs a task under the same key. `key` is already a pseudonym. */
  withLock<T>(key: string, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The embedded database admits one process, and `sequentialize` already orders a chat's updates in it. */
export const singleProcessChatLock: ChatLock = {
  withLock: (_key, task) => task(),
  close: async () => undefined,
};

// The first half of the two-part advisory lock key, so a chat lock never collides with another advisory lock.
const LOCK_NAMESPACE = 0x53564b31;

export interface PostgresChatLockOptions {
  /** A pool of its own (see `DatabaseHandle.dedicatedPool`), never the one handlers query through. */
  pool: pg.Pool;
  /** How long an update waits for another process to finish with its chat before it is handed back for later. */
  waitTimeoutMs: number;
  logger: Logger;
}

/**
 * A session-level advisory lock, held on a connection of its own for as long as the handler runs.
 *
 * Why this shape: the handler, the session store and the conversation all query through the main pool and
 * open transactions of their own (a submit is one), so wrapping the handler in one transaction holding
 * `pg_advisory_xact_lock` would mean routing every query through that transaction and keeping it open across
 * Telegram calls and photo downloads. A lock held beside the handler changes nothing in them. The lock
 * connections come from a separate pool so a process busy with many chats cannot take every connection its
 * handlers need (which would deadlock the pool). A process that dies loses its connections, and PostgreSQL
 * drops their locks at once, so a crash never leaves a chat locked. `lock_timeout` bounds the wait; the
 * timeout is a transient error (55P03), so the update is retried or redelivered rather than dropped.
 */
export function createPostgresChatLock(options: PostgresChatLockOptions): ChatLock {
  const { pool, logger } = options;
  const timeout = `${Math.max(1, Math.round(options.waitTimeoutMs))}ms`;
  pool.on("connect", (client) => {
    // Queued before any lock query on this connection; an error surfaces on that query.
    client.query("select set_config('lock_timeout', $1, false)", [timeout]).catch(() => undefined);
  });
  // Chats beyond the pool's connections wait here, in turn, instead of in pool.connect(): its timeout would make a
  // process that is merely busy take itself for one whose database is down, and defer updates with backoff.
  const connections = semaphore(pool.options.max ?? 10);
  return {
    async withLock(key, task) {
      await connections.acquire();
      try {
        return await lockedRun(key, task);
      } finally {
        connections.release();
      }
    },
    close: () => pool.end(),
  };

  async function lockedRun<T>(key: string, task: () => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    try {
      await client.query("select pg_advisory_lock($1, hashtext($2))", [LOCK_NAMESPACE, key]);
    } catch (error) {
      client.off("error", onError);
      client.release(error as Error);
      throw error;
    }
    try {
      return await task();
    } finally {
      let releaseError: Error | undefined = broken;
      if (!broken) {
        try {
          await client.query("select pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, key]);
        } catch (error) {
          releaseError = error as Error;
        }
      }
      if (releaseError) {
        // The connection is discarded, which frees the lock on the server if it still holds it.
        logger.warn({ err: releaseError }, "chat lock connection failed while held; it is discarded");
      }
      client.off("error", onError);
      client.release(releaseError);
    }
  }
}

function semaphore(size: number): { acquire(): Promise<void>; release(): void } {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/** Holds the chat's lock around everything after it: the session read, the handler and the session write. */
export function chatLockMiddleware(lock: ChatLock, keyOf: (ctx: BotContext) => string | undefined): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const key = keyOf(ctx);
    if (key === undefined) return next();
    // The pseudonym, not the chat id, is what PostgreSQL sees (in pg_locks, in logged statements).
    await lock.withLock(ctx.app.pseudonymize(key), () => next());
  };
}
