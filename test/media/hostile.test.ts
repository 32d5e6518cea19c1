import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ImageRejectedError, sanitizeImage } from "../../src/media/sanitize.js";
import { corpusDir, fullCorpus, moreCorpusDir, repoRoot } from "./corpus.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** Runs a script in a fresh Node process, so its memory figures are the script's alone. */
function measureInFreshProcess(script: string): Record<string, unknown> {
  const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("decompression bombs", () => {
  it.each([
    ["png_bomb_40000x40000.png", path.join(corpusDir, "png_bomb_40000x40000.png")],
    ["fuzzdb_lottapixel.jpg", path.join(moreCorpusDir, "fuzzdb_lottapixel.jpg")],
    ["sharp_65536-uint32-limit.png", path.join(moreCorpusDir, "sharp_65536-uint32-limit.png")],
  ])("refuses %s in under a second, resident memory growing by less than 50 MB", (_name, file) => {
    // The sanitizer is loaded and has handled a small photo first, so what is measured is the bomb alone.
    // The peak is the kernel's high-water mark of this process (VmHWM), reset just before the bomb;
    // getrusage's maximum would carry over the peak of the test runner that started it.
    const result = measureInFreshProcess(`
      import { readFileSync, writeFileSync } from "node:fs";
      import { sanitizeImage } from "./src/media/sanitize.ts";
      const kilobytes = (field) => Number(new RegExp(field + ":\\\\s+(\\\\d+)").exec(readFileSync("/proc/self/status", "utf8"))[1]);
      await sanitizeImage(readFileSync(${JSON.stringify(path.join(corpusDir, "jpg_Canon_40D.jpg"))}));
      const bomb = readFileSync(${JSON.stringify(file)});
      writeFileSync("/proc/self/clear_refs", "5");
      const before = kilobytes("VmRSS") * 1024;
      const started = performance.now();
      const reason = await sanitizeImage(bomb).then(() => "accepted", (error) => error.reason);
      const ms = performance.now() - started;
      const growth = kilobytes("VmHWM") * 1024 - before;
      console.log(JSON.stringify({ reason, ms, growth }));
    `);
    expect(result.reason).toBe("too_many_pixels");
    expect(result.ms).toBeLessThan(1_000);
    expect(result.growth).toBeLessThan(50 * 1024 * 1024);
  });
});

describe("HEIC decoder", () => {
  it("decodes in a process started as an ES module script: its worker takes none of the parent's flags", () => {
    const result = measureInFreshProcess(`
      import { readFileSync } from "node:fs";
      import { sanitizeImage } from "./src/media/sanitize.ts";
      const image = await sanitizeImage(readFileSync(${JSON.stringify(path.join(moreCorpusDir, "mei_cheers_1440x960.heic"))}));
      console.log(JSON.stringify({ width: image.width, height: image.height, format: image.format }));
    `);
    expect(result).toEqual({ width: 1440, height: 960, format: "jpeg" });
  }, 60_000);
});

describe("fuzzing", () => {
  it("gets only a clean picture or an ImageRejectedError from 1,000 seeded mutations of corpus files", async () => {
    // Small accepted files of every format (HEIC, AVIF, WebP, TIFF, GIF, PNG, JPEG): mutations of a large
    // photo cost time and find nothing a small one does not.
    const seeds = fullCorpus()
      .filter((entry) => entry.expected === "accept")
      .map((entry) => readFileSync(entry.path))
      .filter((bytes) => bytes.length < 200_000);
    expect(new Set(seeds.map((b) => b.subarray(0, 12).toString("latin1").replace(/[^A-Za-z]/g, "").slice(0, 4))).size).toBeGreaterThan(5);
    const random = seededRandom(0x5eed);
    const pick = (n: number) => Math.floor(random() * n);
    const counts = { accepted: 0, rejected: 0 };
    const started = Date.now();
    for (let i = 0; i < 1_000; i++) {
      const seed = seeds[pick(seeds.length)]!;
      let input = Buffer.from(seed);
      switch (pick(5)) {
        case 0: // scattered bytes
          for (let n = 1 + pick(20); n > 0; n--) input[pick(input.length)] = pick(256);
          break;
        case 1: // a run of zeros
          input.fill(0, pick(input.length), pick(input.length));
          break;
        case 2: // the header, where sizes and offsets live
          for (let n = 4; n > 0; n--) input[pick(Math.min(512, input.length))] = pick(256);
          break;
        case 3: // truncated
          input = input.subarray(0, pick(input.length));
          break;
        default: // a slice of the file repeated inside it
          input = Buffer.concat([input.subarray(0, pick(input.length)), input.subarray(pick(input.length))]);
      }
      try {
        const out = await sanitizeImage(input);
        const meta = await sharp(out.data).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual([out.format, out.width, out.height]);
        expect([meta.exif, meta.xmp, meta.icc]).toEqual([undefined, undefined, undefined]);
        counts.accepted++;
      } catch (error) {
        expect(error, `mutation ${i}`).toBeInstanceOf(ImageRejectedError);
        counts.rejected++;
      }
    }
    expect(counts.rejected).toBeGreaterThan(100);
    expect(counts.accepted).toBeGreaterThan(100);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("refuses with ImageRejectedError whatever the bytes: empty, headers only, signatures of other things", async () => {
    const inputs = [
      Buffer.alloc(0),
      Buffer.from("GIF89a"),
      Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00", "latin1"),
      Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"),
      Buffer.alloc(64, 0xff),
      Buffer.from("II*\0\x08\0\0\0\xff\xff\0\0", "latin1"),
      Buffer.from("\0\0\0\x18ftypheic\0\0\0\0mif1heic", "latin1"),
      Buffer.from("\0\0\0\x18ftypavif\0\0\0\0mif1avif", "latin1"),
      Buffer.from("\0\0\0\x18ftypisom\0\0\0\0isommp41", "latin1"),
      Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"),
      Buffer.from("<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"),
      Buffer.from("AT&TFORM\0\0\0\x10DJVM", "latin1"),
      Buffer.from("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff\0\0\0\x01\x08\x02\0\0\0", "latin1"),
    ];
    for (const input of inputs) {
      await expect(sanitizeImage(input), JSON.stringify(input.toString("latin1").slice(0, 20))).rejects.toBeInstanceOf(ImageRejectedError);
    }
  });

  it("refuses a HEIC whose coded picture is damaged as corrupt, and decodes the next one normally", async () => {
    const heic = readFileSync(path.join(moreCorpusDir, "mei_cheers_1440x960.heic"));
    const damaged = Buffer.from(heic);
    // The coded picture sits at the end of the file; the header in front stays readable.
    damaged.fill(0x55, damaged.length - 20_000, damaged.length - 1_000);
    const reasons = await Promise.all(
      [damaged, heic.subarray(0, heic.length - 10_000)].map((input) => sanitizeImage(input).then(() => "accepted", (error: ImageRejectedError) => error.reason)),
    );
    for (const reason of reasons) expect(["corrupt", "accepted"]).toContain(reason);
    expect(reasons).toContain("corrupt");
    expect((await sanitizeImage(heic)).width).toBe(1440);
  });
});
