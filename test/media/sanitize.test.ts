import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import exifr from "exifr";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { rejectionReasons } from "../../src/media/image-rejected-error.js";
import { ImageRejectedError, type SanitizedImage, createSanitizer, sanitizeImage } from "../../src/media/sanitize.js";
import { corpusDir, mainCorpus, moreCorpus } from "./corpus.js";

const corpus = [...mainCorpus(), ...moreCorpus()];
const accepted = new Map<string, SanitizedImage>();
const scratch = mkdtempSync(path.join(os.tmpdir(), "svidok-sanitize-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function outcome(file: string): Promise<SanitizedImage | ImageRejectedError> {
  try {
    return await sanitizeImage(readFileSync(file));
  } catch (error) {
    if (error instanceof ImageRejectedError) return error;
    throw error;
  }
}

// Tags that would say who took a picture, where, when, or with what; and any leftover copy of the original.
const forbiddenExiftool =
  /GPS|Make\b|Model|Serial|DateTime|CreateDate|ModifyDate|Orientation|XMP|IPTC|MakerNote|Comment|Thumbnail|PreviewImage|Artist|Copyright|Software|OwnerName|UserComment|ImageDescription|Profile|Photoshop|FLIR|GDepth|GImage|ICC/i;
const forbiddenExifr = /GPS|latitude|longitude|Make|Model|Serial|DateTime|Orientation|CreateDate|Comment|Thumbnail/i;
const plantedStrings = ["Olena", "Kovalenko", "Mariupol", "F2LXK9ABC123", "Samsung", "SM-G991B", "PK\u0003\u0004", "root:x:0:0"];

describe("sanitizeImage on the corpus", () => {
  it.each(corpus.map((entry) => [entry.file, entry] as const))("%s gets the outcome its manifest expects", async (_file, entry) => {
    const result = await outcome(entry.path);
    if (entry.expected === "accept") {
      expect(result, String((result as Error).message)).not.toBeInstanceOf(ImageRejectedError);
    } else if (entry.expected === "reject") {
      expect(result).toBeInstanceOf(ImageRejectedError);
      const reason = (result as ImageRejectedError).reason;
      expect(rejectionReasons).toContain(reason);
      if (entry.reasons.length) expect(entry.reasons).toContain(reason);
    } else if (result instanceof ImageRejectedError) {
      expect(result.reason).toBe("corrupt");
    }
    if (!(result instanceof ImageRejectedError)) {
      accepted.set(entry.file, result);
      expect(["jpeg", "png"]).toContain(result.format);
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.originalSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
      const meta = await sharp(result.data).metadata();
      expect(meta.format).toBe(result.format);
      expect([meta.width, meta.height]).toEqual([result.width, result.height]);
    }
  });

  it("keeps nothing that identifies the device, the place or the person in any accepted output", async () => {
    expect(accepted.size).toBeGreaterThan(60);
    const files: string[] = [];
    for (const [name, image] of accepted) {
      const file = path.join(scratch, `${name}.${image.format}`);
      writeFileSync(file, image.data);
      files.push(file);
      const text = image.data.toString("latin1");
      for (const planted of plantedStrings) expect(text, `${planted} in ${name}`).not.toContain(planted);
      const tags = (await exifr.parse(image.data, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, ifd1: true, makerNote: true, userComment: true }).catch(() => undefined)) ?? {};
      const leaked = Object.keys(tags).filter((k) => forbiddenExifr.test(k));
      expect(leaked, `exifr found ${leaked.join(", ")} in ${name}`).toEqual([]);
    }
    const report = execFileSync("exiftool", ["-a", "-G1", "-s", "-q", ...files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const leaks = report
      .split("\n")
      .filter((line) => /^\[/.test(line))
      .filter((line) => !/^\[(System|File|ExifTool|Composite|JFIF|PNG)\]/.test(line) || /Comment|GPS|Model|Make/.test(line))
      .filter((line) => forbiddenExiftool.test(line.split(":")[0]!));
    expect(leaks).toEqual([]);
    const groups = new Set(report.split("\n").map((l) => /^\[([^\]]+)\]/.exec(l)?.[1]).filter(Boolean));
    expect([...groups].sort()).toEqual(expect.arrayContaining(["File"]));
    for (const group of groups) expect(["System", "File", "ExifTool", "JFIF", "PNG", "PNG-pHYs", "Composite"]).toContain(group);
  });

  it("reads when and where the GPS-tagged photos were taken, within 0.0001° of exiftool", async () => {
    const gpsEntries = corpus.filter((e) => e.gps && accepted.has(e.file));
    expect(gpsEntries.length).toBeGreaterThanOrEqual(10);
    for (const entry of gpsEntries) {
      const [lat, lon] = execFileSync("exiftool", ["-n", "-s3", "-GPSLatitude", "-GPSLongitude", entry.path], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map(Number);
      const evidence = accepted.get(entry.file)!.evidence;
      if (lat === 0 && lon === 0) {
        expect(evidence.latitude, entry.file).toBeUndefined();
        continue;
      }
      expect(evidence.latitude, entry.file).toBeCloseTo(lat!, 4);
      expect(Math.abs(evidence.latitude! - lat!)).toBeLessThanOrEqual(0.0001);
      expect(Math.abs(evidence.longitude! - lon!)).toBeLessThanOrEqual(0.0001);
    }
    for (const entry of corpus.filter((e) => !e.gps && accepted.has(e.file))) {
      const evidence = accepted.get(entry.file)!.evidence;
      expect(evidence.latitude, entry.file).toBeUndefined();
      expect(evidence.longitude, entry.file).toBeUndefined();
    }
  });

  it("turns the eight EXIF orientations upright: their pixels match the upright sample", async () => {
    const upright = await sharp(accepted.get("jpg_orientation_landscape_1.jpg")!.data).resize(60, 45).greyscale().raw().toBuffer();
    for (let n = 2; n <= 8; n++) {
      const image = accepted.get(`jpg_orientation_landscape_${n}.jpg`)!;
      expect([image.width, image.height]).toEqual([600, 450]);
      const pixels = await sharp(image.data).resize(60, 45).greyscale().raw().toBuffer();
      let diff = 0;
      for (let i = 0; i < pixels.length; i++) diff += Math.abs(pixels[i]! - upright[i]!);
      expect(diff / pixels.length, `orientation ${n}`).toBeLessThan(6);
    }
  });

  it("decides the type from the bytes, whatever the file is called", async () => {
    const disguised = await outcome(path.join(corpusDir, "text_named.jpg"));
    expect((disguised as ImageRejectedError).reason).toBe("not_an_image");
    const png = readFileSync(path.join(corpusDir, "png_exif_text.png"));
    expect((await sanitizeImage(png)).format).toBe("png");
  });

  it("refuses a file over the byte limit before decoding it", async () => {
    const big = readFileSync(path.join(corpusDir, "jpg_gps_DSCN0010.jpg"));
    await expect(sanitizeImage(big, { maxBytes: big.length - 1 })).rejects.toMatchObject({ reason: "too_large" });
  });

  it("queues work: no more photos are decoded at once than the configured concurrency", async () => {
    const sanitizer = createSanitizer({ concurrency: 2, maxBytes: 20 * 2 ** 20, maxPixels: 1e8 });
    const input = readFileSync(path.join(corpusDir, "jpg_gps_DSCN0010.jpg"));
    const results = await Promise.all(Array.from({ length: 6 }, () => sanitizer.sanitize(input)));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
  });
});
