import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs every benchmark (`bench/<name>/run.ts`, each in a process of its own so memory figures do not mix)
 * and writes their sections to bench/RESULTS.md with the machine, date and commit they were measured on.
 * `npm run bench -- replay sanitize` runs only the named ones.
 */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const wanted = process.argv.slice(2);
const names = readdirSync(benchDir)
  .filter((name) => statSync(path.join(benchDir, name)).isDirectory())
  .filter((name) => {
    try {
      return statSync(path.join(benchDir, name, "run.ts")).isFile();
    } catch {
      return false;
    }
  })
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: repoRoot, encoding: "utf8" }).trim() !== "";
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown";
  }
}

const sections: string[] = [];
let failures = 0;
for (const name of names) {
  process.stderr.write(`running bench/${name} ...\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, name, "run.ts")], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failures++;
    sections.push(`## ${name}\n\nFAILED (exit ${result.status ?? result.signal}) after ${seconds} s.\n\n${result.stdout}`);
  } else {
    sections.push(`${result.stdout.trim()}\n\n_(${seconds} s)_`);
  }
  process.stdout.write(`${result.stdout}\n`);
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const header = [
  "# Benchmark results",
  "",
  `- date: ${new Date().toISOString()}`,
  `- commit: ${commit()}`,
  `- machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`,
  `- Node.js ${process.version}`,
  "",
  "Written by `npm run bench`; see bench/README.md for what each figure means.",
  "",
].join("\n");
if (wanted.length === 0) {
  writeFileSync(path.join(benchDir, "RESULTS.md"), `${header}\n${sections.join("\n\n")}\n`);
  process.stderr.write(`wrote bench/RESULTS.md (${names.length} benchmarks, ${failures} failed)\n`);
}
process.exitCode = failures ? 1 : 0;
