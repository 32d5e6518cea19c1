import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type ChatLock, createPostgresChatLock } from "../../src/bot/middleware/chat-lock.js";
import { createLogger } from "../../src/logger.js";
import { isTransientDatabaseError } from "../../src/server/database-errors.js";
import { testDatabaseUrl } from "../helpers/test-database.js";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy.js";

const logger = createLogger("silent");
// Advisory locks exist only on a PostgreSQL server; the embedded database admits one process and needs none.
describe.skipIf(!testDatabaseUrl)("chat lock across processes (PostgreSQL advisory locks)", () => {
  const opened: ChatLock[] = [];
  const proxies: TcpProxy[] = [];
  /** A lock with connections of its own, as another bot process would have. */
  const processLock = (url = testDatabaseUrl!, waitTimeoutMs = 10_000) => {
    const lock = createPostgresChatLock({ pool: new pg.Pool({ connectionString: url, max: 4 }), waitTimeoutMs, logger });
    opened.push(lock);
    return lock;
  };
  const key = () => `chat-${Math.random().toString(36).slice(2)}`;

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((lock) => lock.close().catch(() => undefined)));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  it("runs the tasks of one chat one at a time across two processes, and other chats alongside", async () => {
    const first = processLock();
    const second = processLock();
    const chat = key();
    const spans: [string, number, number][] = [];
    const task = (name: string) => async () => {
      const start = Date.now();
      await sleep(60);
      spans.push([name, start, Date.now()]);
    };
    await Promise.all([
      first.withLock(chat, task("a1")),
      second.withLock(chat, task("b1")),
      first.withLock(chat, task("a2")),
      second.withLock(chat, task("b2")),
    ]);
    spans.sort((x, y) => x[1] - y[1]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![1]).toBeGreaterThanOrEqual(spans[i - 1]![2]);

    const other: number[] = [];
    let releaseFirst!: () => void;
    const held = first.withLock(chat, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    await sleep(50);
    await second.withLock(key(), async () => {
      other.push(Date.now());
    });
    expect(other).toHaveLength(1);
    releaseFirst();
    await held;
  });

  it("frees a chat at once when the process holding it loses its connection (a crash)", async () => {
    const url = new URL(testDatabaseUrl!);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    proxies.push(proxy);
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    const dying = processLock(url.toString());
    const survivor = processLock();
    const chat = key();
    let entered!: () => void;
    let finish!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const crashed = dying.withLock(chat, async () => {
      entered();
      await new Promise<void>((resolve) => (finish = resolve));
    });
    await inside;
    const started = Date.now();
    const waiting = survivor.withLock(chat, async () => Date.now());
    await sleep(200);
    await proxy.cut();
    const acquiredAt = await waiting;
    expect(acquiredAt - started).toBeLessThan(5_000);
    finish();
    await crashed;
  });

  it("gives up waiting after the timeout with an error that counts as transient", async () => {
    const holder = processLock();
    const impatient = processLock(testDatabaseUrl!, 200);
    const chat = key();
    let release!: () => void;
    const held = holder.withLock(chat, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    const error = await impatient.withLock(chat, async () => "entered").catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("55P03");
    expect(isTransientDatabaseError(error)).toBe(true);
    release();
    await held;
    await expect(impatient.withLock(chat, async () => "entered")).resolves.toBe("entered");
  });
});
