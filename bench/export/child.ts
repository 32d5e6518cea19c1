import { performance } from "node:perf_hooks";
import { openPostgres } from "../../src/db/connect.js";
import { defaultFilters, isExportFormat } from "../../src/export/filters.js";
import { keepHeapNearLiveSize } from "../../src/export/heap.js";
import { runExport } from "../../src/export/run-export.js";

/**
 * One export in a process of its own, so its peak resident memory is its own, set up as `npm run export` sets up
 * its process: prints the time the export took and the process's peak RSS as one JSON line. Arguments: format,
 * destination; BENCH_DATABASE_URL names the data.
 */
const [format = "", destination = ""] = process.argv.slice(2);
const url = process.env.BENCH_DATABASE_URL;
if (!isExportFormat(format) || !destination || !url) {
  process.stderr.write("usage: child.ts FORMAT DESTINATION (with BENCH_DATABASE_URL)\n");
  process.exit(2);
}
keepHeapNearLiveSize();
const database = openPostgres({ connectionString: url, maxConnections: 4 });
try {
  const started = performance.now();
  const result = await runExport({
    db: database.db,
    format,
    filters: defaultFilters,
    exportedBy: { kind: "cli", user: "bench" },
    destination,
  });
  const seconds = (performance.now() - started) / 1000;
  const bytes = result.files.reduce((sum, f) => sum + f.size, 0);
  process.stdout.write(`${JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS, cases: result.counts.cases, bytes })}\n`);
} finally {
  await database.close();
}
