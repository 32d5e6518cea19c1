import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared image corpus lives beside the repository, never inside it. */
export const corpusDir = path.resolve(repoRoot, "../shared/corpus/images");
export const moreCorpusDir = path.resolve(repoRoot, "../shared/corpus/images-more");

export interface CorpusEntry {
  file: string;
  path: string;
  corpus: "images" | "images-more";
  expected: "accept" | "reject" | "either";
  /** Reasons that fit a rejection; empty when any reason does. */
  reasons: string[];
  gps: boolean;
  /** The manifest's source column (images) or category (images-more). */
  origin: string;
  /** The original's dimensions as the manifest gives them, "WxH". */
  size: string;
  /** The upright output's dimensions, "WxH", where the manifest states them. */
  outputSize: string | undefined;
}

function readTsv(file: string): Record<string, string>[] {
  if (!existsSync(file)) throw new Error(`image corpus not found at ${file}: the sanitizer cannot be tested without it`);
  const [header, ...rows] = readFileSync(file, "utf8").trimEnd().split("\n");
  const names = header!.split("\t");
  return rows.map((row) => Object.fromEntries(row.split("\t").map((value, i) => [names[i]!, value])));
}

function checkPresent(entries: CorpusEntry[]): CorpusEntry[] {
  const missing = entries.filter((e) => !existsSync(e.path)).map((e) => e.file);
  if (missing.length) throw new Error(`image corpus incomplete, missing: ${missing.join(", ")}`);
  return entries;
}

export function mainCorpus(): CorpusEntry[] {
  return checkPresent(
    readTsv(path.join(corpusDir, "MANIFEST.tsv")).map((row) => ({
      file: row.file!,
      path: path.join(corpusDir, row.file!),
      corpus: "images",
      expected: row.expected as CorpusEntry["expected"],
      reasons: row.reason ? row.reason.split("|") : [],
      gps: row.gps === "yes",
      origin: row.source!,
      size: row.size!,
      outputSize: undefined,
    })),
  );
}

export function moreCorpus(): CorpusEntry[] {
  return checkPresent(
    readTsv(path.join(moreCorpusDir, "MANIFEST.tsv")).map((row) => {
      const file = path.basename(row.file!);
      return {
        file,
        path: path.join(moreCorpusDir, file),
        corpus: "images-more",
        expected: row.expected as CorpusEntry["expected"],
        reasons: [],
        gps: row.gps!.startsWith("yes"),
        origin: row.category!,
        size: row.width_x_height!,
        outputSize: /^\d+x\d+/.exec(row.expected_output_size ?? "")?.[0],
      };
    }),
  );
}

export const fullCorpus = (): CorpusEntry[] => [...mainCorpus(), ...moreCorpus()];

