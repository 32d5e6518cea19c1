import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { openPostgres } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { fill } from "./fill.js";

/**
 * Export at scale on PostgreSQL: 10,000 then 100,000 verified cases of 3 items each. CSV and the ZIP bundle (no
 * photos) are each exported in a fresh process, which reports its time and peak resident memory; PostgreSQL's own
 * `COPY (SELECT …) TO STDOUT WITH CSV` of the same rows gives the floor the CSV time is compared with.
 * Targets: peak RSS at 100,000 cases within 1.2 times the peak at 10,000; CSV at most 3 times COPY.
 */
const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SMALL = 10_000;
const LARGE = 100_000;
const RSS_TARGET = 1.2;
const COPY_TARGET = 3;

const run = promisify(execFile);
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), "child.ts");

const caseRows = `
  select c.ref, c.status, c.role, c.submitted_at, c.incident_date, c.incident_date_precision, c.region, c.address,
    c.latitude, c.longitude, (select count(*) from case_items i where i.case_id = c.id),
    (select string_agg(distinct i.category, ';') from case_items i where i.case_id = c.id),
    c.perpetrator_units, c.perpetrator_vehicles, c.perpetrator_count, c.perpetrator_words, c.narrative,
    (select count(*) from photos p where p.case_id = c.id), c.contact_allowed, o.ref, c.locale, c.consent_version,
    c.updated_at
  from cases c left join cases o on o.id = c.duplicate_of
  where c.status = 'verified'
  order by c.submitted_at, c.id`;
const itemRows = `
  select c.ref, i.position, i.category, i.description, i.quantity, i.value_amount, i.value_currency, i.identifier,
    i.identifier_kind, i.identifier_valid
  from case_items i join cases c on c.id = i.case_id
  where c.status = 'verified'
  order by c.submitted_at, c.id, i.position`;

/** PostgreSQL writing cases.csv and items.csv itself, streamed to files as the export streams its own. */
async function copyBaseline(url: string, dir: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (const [name, query] of [["cases", caseRows], ["items", itemRows]] as const) {
      await pipeline(client.query(copyTo(`copy (${query}) to stdout with csv header`)), createWriteStream(path.join(dir, `copy-${name}.csv`)));
    }
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

interface ChildResult {
  seconds: number;
  maxRssKb: number;
  cases: number;
  bytes: number;
}

async function exportInChild(url: string, format: "csv" | "zip", destination: string): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", child, format, destination], {
    env: { ...process.env, BENCH_DATABASE_URL: url },
    timeout: 240_000,
  });
  await rm(destination, { recursive: true, force: true });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildResult;
}

const best = <T extends { seconds: number }>(a: T, b: T) => (a.seconds <= b.seconds ? a : b);
const mb = (kb: number) => (kb / 1024).toFixed(0);
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const met = (ok: boolean) => (ok ? "met" : "**not met**");

const schema = `bench_export_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
const dir = await mkdtemp(path.join(os.tmpdir(), "svidok-bench-export-"));
const url = new URL(SERVER);
url.searchParams.set("options", `-c search_path=${schema}`);
const started = performance.now();
try {
  await admin.query(`create schema ${schema}`);
  const handle = openPostgres({ connectionString: SERVER, searchPath: schema });
  await migrateToLatest(handle.db, schema);
  await handle.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const version = (await client.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;

  const results: Record<string, ChildResult> = {};
  process.stderr.write(`filling ${SMALL} cases...\n`);
  await fill(client, 1, SMALL);
  results.csvSmall = await exportInChild(url.toString(), "csv", path.join(dir, "csv-small"));
  results.zipSmall = await exportInChild(url.toString(), "zip", path.join(dir, "small.zip"));
  process.stderr.write(`filling up to ${LARGE} cases...\n`);
  const fillStarted = performance.now();
  await fill(client, SMALL + 1, LARGE);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  await client.end();

  // Best of three for both sides of the ratio, taken in turn, so a cold cache or a busy moment does not decide it.
  const csvRuns: ChildResult[] = [];
  const copyRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    copyRuns.push(await copyBaseline(url.toString(), dir));
    csvRuns.push(await exportInChild(url.toString(), "csv", path.join(dir, "csv-large")));
  }
  results.csvLarge = csvRuns.reduce(best);
  const copySeconds = Math.min(...copyRuns);
  results.zipLarge = await exportInChild(url.toString(), "zip", path.join(dir, "large.zip"));

  for (const [name, r] of Object.entries(results)) {
    const expected = name.endsWith("Small") ? SMALL : LARGE;
    if (r.cases !== expected) throw new Error(`${name} exported ${r.cases} cases, expected ${expected}`);
  }
  const copyRatio = results.csvLarge!.seconds / copySeconds;
  const csvGrowth = results.csvLarge!.maxRssKb / results.csvSmall!.maxRssKb;
  const zipGrowth = results.zipLarge!.maxRssKb / results.zipSmall!.maxRssKb;
  const row = (label: string, r: ChildResult) =>
    `| ${label} | ${r.cases.toLocaleString("en")} | ${fmt(r.seconds)} | ${mb(r.maxRssKb)} MB | ${(r.bytes / 1e6).toFixed(1)} MB |`;
  const lines = [
    "## export",
    "",
    `Verified cases with 3 items each on PostgreSQL ${version} (filled with generate_series; the 100,000 in ${fmt(fillSeconds, 1)} s). ` +
      "Each export runs in a fresh process; peak RSS is that process's `maxRSS`, Node.js and the loader included.",
    "",
    "| export | cases | seconds | peak RSS | output |",
    "|---|---:|---:|---:|---:|",
    row("CSV (cases.csv + items.csv)", results.csvSmall!),
    row("CSV (cases.csv + items.csv), best of 3", results.csvLarge!),
    row("ZIP bundle, no photos", results.zipSmall!),
    row("ZIP bundle, no photos", results.zipLarge!),
    `| PostgreSQL \`COPY (SELECT …) TO STDOUT WITH CSV\`, same rows, best of 3 | ${LARGE.toLocaleString("en")} | ${fmt(copySeconds)} | — | — |`,
    "",
    `- CSV time / COPY time at ${LARGE.toLocaleString("en")} cases: ${fmt(copyRatio)} (target ≤ ${COPY_TARGET}): ${met(copyRatio <= COPY_TARGET)}`,
    `- Peak RSS at ${LARGE.toLocaleString("en")} / at ${SMALL.toLocaleString("en")} cases: CSV ${fmt(csvGrowth)}, ZIP ${fmt(zipGrowth)} ` +
      `(target ≤ ${RSS_TARGET}): ${met(csvGrowth <= RSS_TARGET && zipGrowth <= RSS_TARGET)}`,
    `- Whole benchmark: ${fmt((performance.now() - started) / 1000, 0)} s`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
