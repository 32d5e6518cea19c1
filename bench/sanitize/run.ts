import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { createSanitizer, sanitizeImage } from "../../src/media/sanitize.js";

/**
 * Photos per second through the sanitizer against a bare `sharp(input).rotate().jpeg({ quality: 90 })` over
 * the same files in the same run, and peak memory with 20 12-megapixel photos submitted at once.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const corpusDir = path.resolve(repoRoot, "../shared/corpus/images");

async function makeTwelveMegapixelJpegs(count: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    // Smooth noise scaled up: detail like a photo's, not the worst case of pure noise.
    const base = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 90 + i * 10, g: 120, b: 140 }, noise: { type: "gaussian", mean: 120 + i, sigma: 40 } },
    })
      .png()
      .toBuffer();
    photos.push(
      await sharp(base)
        .resize(4000, 3000, { kernel: "cubic" })
        .withExif({ IFD0: { Make: "BenchCam", Model: "B-12", Orientation: "6" } })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
  }
  return photos;
}

async function timeEach(inputs: Buffer[], work: (input: Buffer) => Promise<unknown>, rounds: number): Promise<number> {
  const started = performance.now();
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      await work(input).catch(() => undefined);
      done++;
    }
  }
  return done / ((performance.now() - started) / 1000);
}

const bare = (input: Buffer) => sharp(input).rotate().jpeg({ quality: 90 }).toBuffer();

// The photos are made here and read from files by a fresh process, so its peak is the sanitizer's alone.
async function peakMemoryChild(): Promise<{ peakMb: number; baselineMb: number; seconds: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "svidok-bench-"));
  const photos = await makeTwelveMegapixelJpegs(20);
  photos.forEach((p, i) => writeFileSync(path.join(dir, `${i}.jpg`), p));
  const script = `
    import { readFileSync } from "node:fs";
    import { createSanitizer } from "./src/media/sanitize.ts";
    const photos = Array.from({ length: 20 }, (_, i) => readFileSync(${JSON.stringify(dir)} + "/" + i + ".jpg"));
    const sanitizer = createSanitizer({ concurrency: 2, maxBytes: 20 * 2 ** 20, maxPixels: 1e8 });
    const baselineMb = process.memoryUsage().rss / 2 ** 20;
    const started = performance.now();
    await Promise.all(photos.map((p) => sanitizer.sanitize(p)));
    console.log(JSON.stringify({ peakMb: process.resourceUsage().maxRSS / 1024, baselineMb, seconds: (performance.now() - started) / 1000 }));
  `;
  try {
    // As deployed (npm start, the Docker image): glibc's per-thread arenas otherwise hold freed image memory.
    const env = { ...process.env, MALLOC_ARENA_MAX: "2" };
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot, encoding: "utf8", env });
    return JSON.parse(out.trim().split("\n").at(-1)!) as { peakMb: number; baselineMb: number; seconds: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const corpus = readdirSync(corpusDir)
  .filter((f) => /\.(jpe?g|png|webp|tiff?|gif|avif|heic|heif)$/i.test(f))
  .map((f) => readFileSync(path.join(corpusDir, f)))
  .filter((b) => b.length > 0);
const acceptedCorpus: Buffer[] = [];
for (const input of corpus) if (await sanitizeImage(input).then(() => true, () => false)) acceptedCorpus.push(input);
// The bare pipeline cannot read HEIC; both sides get the files both can decode, so the ratio compares like with like.
const comparable: Buffer[] = [];
for (const input of acceptedCorpus) if (await bare(input).then(() => true, () => false)) comparable.push(input);

const twelve = await makeTwelveMegapixelJpegs(6);
await timeEach(twelve.slice(0, 2), (i) => sanitizeImage(i), 1);
await timeEach(twelve.slice(0, 2), bare, 1);

const corpusSvidok = await timeEach(comparable, (i) => sanitizeImage(i), 2);
const corpusBare = await timeEach(comparable, bare, 2);
const twelveSvidok = await timeEach(twelve, (i) => sanitizeImage(i), 2);
const twelveBare = await timeEach(twelve, bare, 2);
const memory = await peakMemoryChild();

const corpusRatio = corpusSvidok / corpusBare;
const twelveRatio = twelveSvidok / twelveBare;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
console.log(`## sanitize

| input | files | sanitizer photos/s | bare sharp photos/s | ratio | target ≥ 0.8 |
|---|---|---|---|---|---|
| corpus (decodable by both) | ${comparable.length} | ${corpusSvidok.toFixed(1)} | ${corpusBare.toFixed(1)} | ${corpusRatio.toFixed(2)} | ${verdict(corpusRatio >= 0.8)} |
| 12-megapixel JPEGs | ${twelve.length} | ${twelveSvidok.toFixed(2)} | ${twelveBare.toFixed(2)} | ${twelveRatio.toFixed(2)} | ${verdict(twelveRatio >= 0.8)} |

20 12-megapixel photos submitted at once (queue concurrency 2), fresh process with MALLOC_ARENA_MAX=2: peak resident memory
${memory.peakMb.toFixed(0)} MB (target < 400 MB: ${verdict(memory.peakMb < 400)}; the process held ${memory.baselineMb.toFixed(0)} MB
with the 20 inputs loaded before the first one started), all done in ${memory.seconds.toFixed(1)} s.

The sanitizer does more than the bare pipeline on every photo: it reads the type from the bytes, the header
for the pixel limit, the evidence tags, converts to sRGB and computes a perceptual hash.`);
