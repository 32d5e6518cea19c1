import { setTimeout as sleep } from "node:timers/promises";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createPollingLease, type PollingLease } from "../../src/server/polling-lease.js";
import { testDatabaseUrl } from "../helpers/test-database.js";

describe.skipIf(!testDatabaseUrl)("polling lease (PostgreSQL)", () => {
  const opened: PollingLease[] = [];
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  const lease = (key: string, connectionString = testDatabaseUrl!) => {
    const created = createPollingLease({ pool: new pg.Pool({ connectionString, max: 1 }), key, logger, retryMs: 50 });
    opened.push(created);
    return created;
  };
  afterEach(async () => {
    for (const created of opened.splice(0)) await created.close().catch(() => undefined);
    lines.length = 0;
  });

  it("lets one process of a deployment take the updates; the next takes over once it has stopped", async () => {
    const key = randomUUID();
    const first = lease(key);
    await first.acquire();
    const second = lease(key);
    let secondHolds = false;
    const waiting = second.acquire().then(() => {
      secondHolds = true;
    });
    await sleep(300);
    expect(secondHolds).toBe(false);
    expect(lines.join("")).toContain("another process is taking this bot's updates");
    // Another deployment on the same database is not held up.
    await lease(randomUUID()).acquire();

    await first.close();
    await waiting;
    expect(secondHolds).toBe(true);
    expect(await second.withLock("any chat", async () => "handled")).toBe("handled");
  });

  it("takes the lease again after losing its connection, and waits while another process has it meanwhile", async () => {
    const key = randomUUID();
    const first = lease(key);
    await first.acquire();
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const holders = async () =>
        (
          await admin.query<{ pid: number }>(
            "select pid from pg_locks where locktype = 'advisory' and classid = $1 and objid = hashtext($2)::oid and granted",
            [0x53564b32, key],
          )
        ).rows.map((row) => row.pid);
      const [pid] = await holders();
      expect(pid).toBeTypeOf("number");
      await admin.query("select pg_terminate_backend($1)", [pid]);
      // Another process takes the lease while the first has none.
      const second = lease(key);
      await second.acquire();
      let firstRan = false;
      const handled = first.withLock("chat", async () => {
        firstRan = true;
      });
      await sleep(300);
      expect(firstRan).toBe(false);
      expect(lines.join("")).toContain("the polling lease was lost");
      await second.close();
      await handled;
      expect(firstRan).toBe(true);
      expect(await holders()).toHaveLength(1);
    } finally {
      await admin.end();
    }
  });

  it("fails an update at once, as a transient error, while the database cannot be reached", async () => {
    const url = new URL(testDatabaseUrl!);
    url.port = "1";
    const unreachable = lease(randomUUID(), url.toString());
    await expect(unreachable.withLock("chat", async () => "handled")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
