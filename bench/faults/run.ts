import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import pg from "pg";
import { createPostgresChatLock } from "../../src/bot/middleware/chat-lock.js";
import { createBotStorage } from "../../src/db/bot-storage.js";
import { createPGlite, type DatabaseHandle, openPostgres, wrapPGlite } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";

/**
 * What recognising a redelivered update costs per update, three ways, on the session store the bot uses:
 * - baseline: read the session, write it back only if it changed (an update that changes nothing writes nothing);
 * - in the session (what Svidok does): the handled update ids live in the session row, so every update writes it;
 * - a table: `insert into processed_updates ... on conflict do nothing` per update, the session as in the baseline.
 * Runs on PGlite, and on PostgreSQL when it answers (BENCH_POSTGRES_URL, else TEST_DATABASE_URL, else the local
 * server's `test` database; in a schema of its own, dropped after).
 */
const UPDATES = 2_000;
const CHATS = 50;

interface Session {
  locale: string;
  recentUpdates?: [number, number][];
}

async function measure(label: string, handle: DatabaseHandle): Promise<string[]> {
  const db = handle.db;
  await sql`create table if not exists processed_updates (update_id bigint primary key, at timestamptz not null default now())`.execute(db);
  const storage = createBotStorage<Session>(db, { namespace: "bench", hashKey: (key) => key });
  for (let chat = 0; chat < CHATS; chat++) await storage.write(String(chat), { locale: "uk" });

  const run = async (name: string, perUpdate: (updateId: number, chat: string) => Promise<void>) => {
    const started = performance.now();
    for (let i = 0; i < UPDATES; i++) await perUpdate(1_000_000 + i, String(i % CHATS));
    const ms = (performance.now() - started) / UPDATES;
    return { name, ms };
  };

  const results = [
    await run("baseline: read, no write", async (_id, chat) => {
      const session = (await storage.read(chat))!;
      await storage.write(chat, session);
    }),
    await run("ids in the session row (Svidok)", async (id, chat) => {
      const session = (await storage.read(chat))!;
      const recent = [...(session.recentUpdates ?? []), [id, Math.floor(Date.now() / 1000)] as [number, number]].slice(-32);
      await storage.write(chat, { ...session, recentUpdates: recent });
    }),
    await run("processed_updates table", async (id, chat) => {
      const session = (await storage.read(chat))!;
      await sql`insert into processed_updates (update_id) values (${id}) on conflict do nothing`.execute(db);
      await storage.write(chat, session);
    }),
  ];
  const base = results[0]!.ms;
  return [
    `### ${label}`,
    "",
    "| per update | ms | extra |",
    "|---|---:|---:|",
    ...results.map((r) => `| ${r.name} | ${r.ms.toFixed(3)} | ${(r.ms - base >= 0 ? "+" : "") + (r.ms - base).toFixed(3)} |`),
    "",
  ];
}

/** The chat lock every update takes on PostgreSQL: a pooled connection, lock, unlock. */
async function measureChatLock(handle: DatabaseHandle): Promise<string[]> {
  const lock = createPostgresChatLock({ pool: handle.dedicatedPool!(4), waitTimeoutMs: 10_000, logger: createLogger("silent") });
  try {
    await lock.withLock("warm-up", async () => undefined);
    const started = performance.now();
    for (let i = 0; i < UPDATES; i++) await lock.withLock(`chat-${i % CHATS}`, async () => undefined);
    const ms = (performance.now() - started) / UPDATES;
    return ["### Chat lock on PostgreSQL (loopback)", "", `${ms.toFixed(3)} ms per update to take and release a chat's advisory lock.`, ""];
  } finally {
    await lock.close();
  }
}

async function main(): Promise<void> {
  const lines = ["## faults: cost of recognising redelivered updates", "", `${UPDATES} updates over ${CHATS} chats, one at a time.`, ""];
  const pglite = wrapPGlite(await createPGlite());
  await migrateToLatest(pglite.db);
  lines.push(...(await measure("PGlite", pglite)));
  await pglite.close();

  const url = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const admin = new pg.Client({ connectionString: url });
  const reachable = await admin.connect().then(
    () => true,
    () => false,
  );
  if (reachable) {
    const schema = `bench_faults_${process.pid}`;
    await admin.query(`create schema ${schema}`);
    const handle = openPostgres({ connectionString: url, searchPath: schema });
    try {
      await migrateToLatest(handle.db);
      lines.push(...(await measure("PostgreSQL (loopback)", handle)));
      lines.push(...(await measureChatLock(handle)));
    } finally {
      await handle.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  } else {
    lines.push(`PostgreSQL: not measured (no server answered at ${new URL(url).host}).`, "");
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
