import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type ChatLock, createPostgresChatLock } from "../../src/bot/middleware/chat-lock.js";
import { createLogger } from "../../src/logger.js";
import { testDatabaseUrl } from "../helpers/test-database.js";

describe.skipIf(!testDatabaseUrl)("chat lock in a busy process (PostgreSQL)", () => {
  let lock: ChatLock | undefined;
  afterEach(async () => {
    await lock?.close();
  });

  it("lets chats beyond its connections wait their turn instead of failing on the pool's connect timeout", async () => {
    // Two connections that a chat holds for 150 ms each; a waiter in pool.connect() would give up after 50 ms.
    const pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 2, connectionTimeoutMillis: 50 });
    lock = createPostgresChatLock({ pool, waitTimeoutMs: 10_000, logger: createLogger("silent") });
    let running = 0;
    let most = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        lock!.withLock(`busy-chat-${n}`, async () => {
          most = Math.max(most, ++running);
          await sleep(150);
          running--;
          return n;
        }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
  });
});
