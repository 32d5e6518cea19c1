import type pg from "pg";
import type { ChatLock } from "../bot/middleware/chat-lock.js";
import type { Logger } from "../logger.js";

// Beside the chat locks' namespace (0x53564b31), so the lease never collides with a chat's lock.
const LEASE_NAMESPACE = 0x53564b32;

export interface PollingLeaseOptions {
  /** A pool of its own (see `DatabaseHandle.dedicatedPool`) with one connection, which holds the lease. */
  pool: pg.Pool;
  /** The same for every process of one deployment and different between deployments: a pseudonym of the bot. */
  key: string;
  logger: Logger;
  /** How often a waiting process asks again whether the lease is free. */
  retryMs?: number;
}

export interface PollingLease extends ChatLock {
  /** Resolves once this process holds the lease, waiting as long as another process holds it. */
  acquire(): Promise<void>;
}

/**
 * Long polling on PostgreSQL: one process at a time takes the bot's updates, so it alone handles every chat and
 * orders each chat's updates in memory, with no lock query per update. Telegram refuses a second getUpdates
 * while one is open, but between two of them, and during a deploy that starts the new process before the old
 * one has finished its updates, both would be given the same unconfirmed updates. The lease is a session-level
 * advisory lock on a connection of its own; a process that dies loses the connection and PostgreSQL frees the
 * lease at once. A lost connection (a database restart) loses the lease too: updates then wait until it is taken
 * again, failing as transient errors while the database cannot be reached, so they are retried, never dropped.
 * Webhook processes run side by side and lock each chat instead (createPostgresChatLock).
 */
export function createPollingLease(options: PollingLeaseOptions): PollingLease {
  const { pool, key, logger } = options;
  const retryMs = options.retryMs ?? 2_000;
  let holder: pg.PoolClient | undefined;
  let acquiring: Promise<void> | undefined;
  let closed = false;
  let wakeUp: (() => void) | undefined;

  async function tryOnce(): Promise<boolean> {
    // Throws while the database cannot be reached: the update is retried like any other on a transient error.
    const client = await pool.connect();
    let taken: boolean;
    try {
      const result = await client.query<{ taken: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as taken", [
        LEASE_NAMESPACE,
        key,
      ]);
      taken = result.rows[0]?.taken === true;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    if (!taken) {
      client.release();
      return false;
    }
    const lost = (error: Error) => {
      if (holder !== client) return;
      holder = undefined;
      logger.warn({ err: error }, "the polling lease was lost with its database connection; updates wait until it is taken again");
      client.release(error);
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("the connection holding the polling lease ended")));
    holder = client;
    return true;
  }

  async function waitForLease(): Promise<void> {
    let told = false;
    for (;;) {
      if (closed) throw new Error("the polling lease is closed");
      if (await tryOnce()) {
        if (told) logger.info("the other process has stopped: this one takes the bot's updates now");
        return;
      }
      if (!told) {
        logger.warn("another process is taking this bot's updates from this database; waiting for it to stop");
        told = true;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  function acquire(): Promise<void> {
    if (holder) return Promise.resolve();
    acquiring ??= waitForLease().finally(() => {
      acquiring = undefined;
    });
    return acquiring;
  }

  return {
    acquire,
    async withLock(_key, task) {
      if (!holder) await acquire();
      return task();
    },
    async close() {
      closed = true;
      wakeUp?.();
      await acquiring?.catch(() => undefined);
      const client = holder;
      holder = undefined;
      if (client) {
        try {
          await client.query("select pg_advisory_unlock($1, hashtext($2))", [LEASE_NAMESPACE, key]);
          client.release();
        } catch (error) {
          // Discarding the connection frees the lease on the server as well.
          client.release(error as Error);
        }
      }
      await pool.end();
    },
  };
}
