import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openEmbedded } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import { type Dataset, seedDataset } from "./dataset.js";
import { readZip } from "./read-zip.js";

const run = promisify(execFile);
const cli = path.resolve("src/cli/export.ts");

let dir: string;
let env: Record<string, string>;
let data: Dataset;
/** PostgreSQL: the test schema, open while the command runs. PGlite: opened only between runs (one process at a time). */
let postgres: TestDatabase | undefined;
let dataDir: string;

async function withDatabase<T>(use: (db: DatabaseHandle["db"]) => Promise<T>): Promise<T> {
  if (postgres) return use(postgres.db);
  const handle = await openEmbedded(dataDir);
  try {
    return await use(handle.db);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "svidok-export-cli-"));
  dataDir = path.join(dir, "data");
  // No BOT_TOKEN: the command line never talks to Telegram. An empty DATABASE_URL is not replaced from a .env.
  const base = { PATH: process.env.PATH ?? "", HOME: dir, LOG_LEVEL: "silent" };
  if (testDatabaseKind === "postgres") {
    postgres = await createTestDatabase();
    data = await seedDataset(postgres.db);
    const key = () => randomBytes(32).toString("hex");
    env = { ...base, DATABASE_URL: postgres.connectionString!, PSEUDONYM_KEY: key(), DATA_KEY: key() };
  } else {
    data = await withDatabase(async (db) => {
      await migrateToLatest(db);
      return seedDataset(db);
    });
    env = { ...base, DATABASE_URL: "", DATA_DIR: dataDir };
  }
}, 60_000);

afterAll(async () => {
  await postgres?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function exportCommand(...args: string[]) {
  return run(process.execPath, ["--import", "tsx", cli, ...args], { env, cwd: path.resolve("."), timeout: 60_000 });
}

describe(`npm run export on ${testDatabaseKind}`, () => {
  it("writes the evidence bundle with the filters given, prints its hash, and logs the export", async () => {
    const out = path.join(dir, "cases.zip");
    const { stdout, stderr } = await exportCommand("--format", "zip", "--status", "verified", "--from", "2026-01-11", "--out", out);
    expect(stderr).toBe("");
    const bytes = await readFile(out);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(stdout).toContain("2 cases, 3 items, 0 photos (1 on the map)");
    expect(stdout).toContain(`${sha256}  ${out}  (${bytes.length} bytes)`);
    const entries = await readZip(out);
    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8")) as Record<string, unknown>;
    expect(manifest.filters).toMatchObject({ statuses: ["verified"], submittedFrom: "2026-01-11" });
    expect(manifest.exportedBy).toEqual({ kind: "cli", user: expect.any(String) });
    const csv = parse(entries.get("cases.csv")!, { bom: true, columns: true }) as { reference: string }[];
    expect(csv.map((c) => c.reference)).toEqual([data.noPoint.ref, data.abroad.ref]);

    const events = await withDatabase((db) =>
      db.selectFrom("case_events").select(["case_id", "actor_kind", "actor_id", "data"]).where("kind", "=", "exported").execute(),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      case_id: null,
      actor_kind: "system",
      actor_id: null,
      data: {
        format: "zip",
        count: 2,
        delivery: "file",
        filters: { statuses: ["verified"], submittedFrom: "2026-01-11" },
        files: [{ name: "cases.zip", size: bytes.length, sha256 }],
      },
    });
  });

  it("writes cases.csv and items.csv into a folder", async () => {
    const out = path.join(dir, "csv-export");
    await exportCommand("--format", "csv", "--region", "not_in_ukraine", "--out", out);
    const cases = parse(await readFile(path.join(out, "cases.csv")), { bom: true, columns: true }) as { reference: string }[];
    expect(cases.map((c) => c.reference)).toEqual([data.abroad.ref]);
    const items = parse(await readFile(path.join(out, "items.csv")), { bom: true, columns: true }) as { description: string }[];
    expect(items.map((i) => i.description)).toEqual(["Пральна машина", "Мікрохвильовка"]);
  });

  it("refuses bad options before touching the database, and never overwrites a file", async () => {
    const existing = path.join(dir, "existing.json");
    await writeFile(existing, "keep me");
    const refusals: [string[], string][] = [
      [["--format", "pdf"], "--format must be one of"],
      [["--format", "json", "--status", "withdrawn"], "withdrawn cases are never exported"],
      [["--format", "csv", "--out", path.join(dir, "x.csv")], "give --out a folder"],
      [["--format", "json", "--out", existing], "already exists"],
    ];
    await Promise.all(
      refusals.map(([args, message]) => expect(exportCommand(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining(message) })),
    );
    expect(await readFile(existing, "utf8")).toBe("keep me");
  });
});
