import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared image corpus lives beside the repository, never inside it. */
export const corpusDir = path.resolve(repoRoot, "../shared/corpus/images");
export const moreCorpusDir = path.resolve(repoRoot, "../shared/corpus/images-more");

export interface CorpusEntry {
  file: string;
  path: string;
  expected: "accept" | "reject" | "either";
  reasons: string[];
  gps: boolean;
}

function readTsv(file: string): Record<string, string>[] {
  if (!existsSync(file)) throw new Error(`image corpus not found at ${file}: the sanitizer cannot be tested without it`);
  const [header, ...rows] = readFileSync(file, "utf8").trimEnd().split("\n");
  const names = header!.split("\t");
  return rows.map((row) => Object.fromEntries(row.split("\t").map((value, i) => [names[i]!, value])));
}

export function mainCorpus(): CorpusEntry[] {
  return readTsv(path.join(corpusDir, "MANIFEST.tsv")).map((row) => ({
    file: row.file!,
    path: path.join(corpusDir, row.file!),
    expected: row.expected as CorpusEntry["expected"],
    reasons: row.reason ? row.reason.split("|") : [],
    gps: row.gps === "yes",
  }));
}

export function moreCorpus(): CorpusEntry[] {
  return readTsv(path.join(moreCorpusDir, "MANIFEST.tsv")).map((row) => {
    const file = path.basename(row.file!);
    return {
      file,
      path: path.join(moreCorpusDir, file),
      expected: row.expected as CorpusEntry["expected"],
      reasons: [],
      gps: row.gps!.startsWith("yes"),
    };
  });
}
