import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { openDatabase } from "../db/connect.js";
import { exportFormats, type FilterName, filterNames, isExportFormat, parseExportFilters } from "../export/filters.js";
import { keepHeapNearLiveSize } from "../export/heap.js";
import { describeFilterProblem } from "../export/problems.js";
import { auditExport, fileExtensions, runExport } from "../export/run-export.js";
import { loadCliConfig } from "./cli-config.js";

const usage = `Usage: npm run export -- --format ${exportFormats.join("|")} [--status verified] [--region kyivska] [--role victim]
                          [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out PATH]

  --format  csv: cases.csv and items.csv in the folder --out; xlsx, geojson, json: one file;
            zip: the evidence bundle (CSV, GeoJSON, JSON, photos, manifest.json, SHA256SUMS).
  --status  comma-separated statuses, or all (default: verified); withdrawn cases are never exported.
  --region  comma-separated region codes or ISO 3166-2 codes (UA-32), or all (default).
  --role    victim, witness, trafficking, comma-separated, or all (default).
  --from, --to  submission dates, inclusive, as calendar days in Kyiv.
  --out     where to write (default: svidok-cases-<time>.<format> here, a folder for csv); never overwritten.
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    options: {
      format: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(filterNames.map((name) => [name, { type: "string" as const }])),
    },
    allowPositionals: false,
  });
}
try {
  args = parseOptions();
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (args.values.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const format = args.values.format;
if (!format || !isExportFormat(format)) fail(`--format must be one of ${exportFormats.join(", ")}\n\n${usage}`);

const typed: Record<string, string> = {};
for (const name of filterNames) {
  const value = (args.values as Record<FilterName, string | undefined>)[name];
  if (value !== undefined) typed[name] = value;
}
const parsed = parseExportFilters(typed);
if (!parsed.ok) fail(describeFilterProblem(parsed.problem));

const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
const destination = path.resolve(
  args.values.out ?? (format === "csv" ? `svidok-cases-${stamp}` : `svidok-cases-${stamp}.${fileExtensions[format]}`),
);
if (format === "csv" && destination.toLowerCase().endsWith(".csv")) {
  fail("A CSV export is two files, cases.csv and items.csv: give --out a folder.");
}
const targets = format === "csv" ? [path.join(destination, "cases.csv"), path.join(destination, "items.csv")] : [destination];
for (const target of targets) if (existsSync(target)) fail(`${target} already exists; exports never overwrite a file.`);

function whoIsRunning(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

keepHeapNearLiveSize();
const config = loadCliConfig();
const database = await openDatabase(config).catch((error: Error) => fail(error.message, 1));
const bar = process.stderr.isTTY
  ? new SingleBar({ format: "exporting [{bar}] {value}/{total} cases | {eta_formatted} left", stream: process.stderr, hideCursor: true })
  : undefined;
try {
  const result = await runExport({
    db: database.db,
    format,
    filters: parsed.filters,
    exportedBy: { kind: "cli", user: whoIsRunning() },
    destination,
    onProgress: ({ done, total }) => {
      if (!bar) return;
      if (done === 0) bar.start(total, 0);
      else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
  });
  bar?.stop();
  await auditExport(database.db, result, "file");
  const { counts } = result;
  process.stdout.write(`${counts.cases} cases, ${counts.items} items, ${counts.photos} photos (${counts.mapped} on the map)\n`);
  for (const file of result.files) process.stdout.write(`${file.sha256}  ${file.path}  (${file.size} bytes)\n`);
} catch (error) {
  bar?.stop();
  process.stderr.write(`export failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
