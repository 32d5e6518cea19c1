import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { acquireDirectoryLock, type DirectoryLock } from "./directory-lock.js";
import type { Database } from "./types.js";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
  /**
   * PostgreSQL only: a separate pool with the same connection settings, for connections held for a long time
   * (chat locks), so they can never take the connections queries need. The caller ends it.
   */
  dedicatedPool?(max: number): pg.Pool;
}

const OID = { int8: 20, bytea: 17, date: 1082, numeric: 1700 } as const;

// pg and PGlite disagree on several types; both are told the same so code and tests behave alike on either.
const pgliteParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.date]: (v) => v,
  [OID.numeric]: (v) => v,
  [OID.bytea]: (v) => Buffer.from(v.startsWith("\\x") ? v.slice(2) : v, "hex"),
};

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === OID.int8) return (v) => Number(v);
  if (oid === OID.date) return (v) => v;
  return pg.types.getTypeParser(oid, format as "text");
}

export interface PostgresOptions {
  connectionString: string;
  /** Tests isolate themselves in a schema of their own. */
  searchPath?: string;
  maxConnections?: number;
  onPoolError?: (error: Error) => void;
}

export function openPostgres(options: PostgresOptions): DatabaseHandle {
  const newPool = (max: number) => {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
    pool.on("error", (error) => options.onPoolError?.(error));
    // Nor may one in use: node-postgres rejects its query and also emits the error on the client, where no one
    // else listens while it is checked out. A broken client is discarded when it is released.
    pool.on("connect", (client) => client.on("error", (error) => options.onPoolError?.(error)));
    return pool;
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: newPool(options.maxConnections ?? 10) }) });
  return {
    db,
    kind: "postgres",
    close: () => db.destroy(),
    dedicatedPool: newPool,
  };
}

export async function createPGlite(dataDir?: string, loadDataDir?: Blob): Promise<PGlite> {
  const instance = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: pgliteParsers,
  });
  await instance.waitReady;
  return instance;
}

export function wrapPGlite(instance: PGlite, onClose?: () => Promise<void>): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: instance }) });
  return {
    db,
    kind: "pglite",
    async close() {
      await db.destroy();
      if (!instance.closed) await instance.close();
      await onClose?.();
    },
  };
}

/** The embedded database keeps its files under `dataDir/pgdata`; one process at a time may open it. */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock: DirectoryLock = await acquireDirectoryLock(dataDir);
  try {
    const instance = await createPGlite(path.join(dataDir, "pgdata"));
    return wrapPGlite(instance, () => lock.release());
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres({ connectionString: options.databaseUrl });
  return openEmbedded(options.dataDir);
}
