import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { hammingDistance, SAME_PHOTO_DISTANCE } from "../../src/media/perceptual-hash.js";
import { ImageRejectedError, sanitizeImage } from "../../src/media/sanitize.js";
import { corpusDir, mainCorpus } from "./corpus.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("hostile input", () => {
  it("refuses the 40000×40000 bomb in under a second with resident memory growing less than 50 MB", () => {
    // A fresh process, so the figure is the bomb's cost alone and not this worker's history.
    const script = `
      import { readFileSync } from "node:fs";
      import { sanitizeImage } from "./src/media/sanitize.ts";
      const input = readFileSync(${JSON.stringify(path.join(corpusDir, "png_bomb_40000x40000.png"))});
      await sanitizeImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0])).catch(() => {});
      const before = process.memoryUsage().rss;
      const started = performance.now();
      const reason = await sanitizeImage(input).then(() => "accepted", (e) => e.reason);
      const ms = performance.now() - started;
      const growth = process.resourceUsage().maxRSS * 1024 - before;
      console.log(JSON.stringify({ reason, ms, growth }));
    `;
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as { reason: string; ms: number; growth: number };
    expect(result.reason).toBe("too_many_pixels");
    expect(result.ms).toBeLessThan(1_000);
    expect(result.growth).toBeLessThan(50 * 1024 * 1024);
  });

  it("survives 1,000 mutations of corpus files: only a clean picture or ImageRejectedError", async () => {
    const seeds = mainCorpus()
      .filter((e) => e.expected !== "reject" && readFileSync(e.path).length < 400_000)
      .map((e) => readFileSync(e.path));
    expect(seeds.length).toBeGreaterThan(20);
    let state = 0x5eed;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    const counts = { accepted: 0, rejected: 0 };
    const started = Date.now();
    for (let i = 0; i < 1_000; i++) {
      const input = Buffer.from(seeds[Math.floor(random() * seeds.length)]!);
      const mutation = Math.floor(random() * 4);
      if (mutation === 0) {
        for (let n = 0; n < 1 + Math.floor(random() * 20); n++) input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
      } else if (mutation === 1) {
        input.fill(0, Math.floor(random() * input.length), Math.floor(random() * input.length));
      } else if (mutation === 2) {
        // Damage the header, where sizes and offsets live.
        for (let n = 0; n < 4; n++) input[Math.floor(random() * Math.min(512, input.length))] = Math.floor(random() * 256);
      }
      const candidate = mutation === 3 ? input.subarray(0, Math.floor(random() * input.length)) : input;
      try {
        const out = await sanitizeImage(candidate);
        const meta = await sharp(out.data).metadata();
        expect(meta.width).toBe(out.width);
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        counts.accepted++;
      } catch (error) {
        expect(error).toBeInstanceOf(ImageRejectedError);
        counts.rejected++;
      }
    }
    expect(counts.accepted + counts.rejected).toBe(1_000);
    expect(counts.rejected).toBeGreaterThan(0);
    expect(counts.accepted).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it("never rejects with anything but ImageRejectedError, whatever the bytes", async () => {
    const inputs = [Buffer.alloc(0), Buffer.from("GIF89a"), Buffer.from("RIFF\0\0\0\0WEBPVP8 "), Buffer.alloc(64, 0xff), Buffer.from("II*\0\x08\0\0\0\xff\xff")];
    for (const input of inputs) {
      await expect(sanitizeImage(input)).rejects.toBeInstanceOf(ImageRejectedError);
    }
  });
});

describe("perceptual hash", () => {
  const photo = readFileSync(path.join(corpusDir, "jpg_gps_DSCN0010.jpg"));

  it("keeps resized and re-compressed copies within the duplicate distance", async () => {
    const original = await sanitizeImage(photo);
    const copies = [
      await sharp(photo).resize(320).jpeg({ quality: 60 }).toBuffer(),
      await sharp(photo).jpeg({ quality: 35 }).toBuffer(),
      await sharp(photo).resize(1280).png().toBuffer(),
      await sharp(photo).resize(200).webp({ quality: 50 }).toBuffer(),
    ];
    for (const copy of copies) {
      const hash = (await sanitizeImage(copy)).perceptualHash;
      expect(hammingDistance(original.perceptualHash, hash)).toBeLessThanOrEqual(SAME_PHOTO_DISTANCE);
    }
  });

  it("keeps different photos of the corpus farther apart than 16", async () => {
    // Distinct scenes: the orientation set is one picture eight times and the GPS series one street,
    // so one of each stands for its group.
    const files = [
      "jpg_gps_DSCN0010.jpg",
      "jpg_hdr_iphone_hdr_YES.jpg",
      "jpg_mobile_jolla.jpg",
      "jpg_exif-org_kodak-dc210.jpg",
      "jpg_exif-org_fujifilm-mx1700.jpg",
      "jpg_exif-org_sony-cybershot.jpg",
      "jpg_orientation_landscape_1.jpg",
      "jpg_xmp_BlueSquare.jpg",
      "tiff_BSG1.tiff",
      "heic_samplefilehub.heif",
      "jpg_tests_45-gps_ifd.jpg",
      "jpg_mobile_HMD_Nokia_8.3_5G.jpg",
    ];
    const hashes = await Promise.all(files.map(async (f) => (await sanitizeImage(readFileSync(path.join(corpusDir, f)))).perceptualHash));
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        expect(hammingDistance(hashes[i]!, hashes[j]!), `${files[i]} vs ${files[j]}`).toBeGreaterThan(16);
      }
    }
  });
});
