import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import exifr from "exifr";
import sharp, { type Sharp } from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { rejectionReasons } from "../../src/media/image-rejected-error.js";
import { hammingDistance } from "../../src/media/perceptual-hash.js";
import { ImageRejectedError, type SanitizedImage, sanitizeImage } from "../../src/media/sanitize.js";
import { type CorpusEntry, fullCorpus } from "./corpus.js";

const corpus = fullCorpus();
const byName = new Map(corpus.map((entry) => [entry.file, entry]));
const scratch = mkdtempSync(path.join(os.tmpdir(), "svidok-sanitize-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Each corpus file is sanitized once, whichever test asks first, so any test also runs on its own.
const outcomes = new Map<string, Promise<SanitizedImage | ImageRejectedError>>();
function outcome(entry: CorpusEntry): Promise<SanitizedImage | ImageRejectedError> {
  let result = outcomes.get(entry.file);
  if (!result) {
    result = sanitizeImage(readFileSync(entry.path)).catch((error: unknown) => {
      if (error instanceof ImageRejectedError) return error;
      throw error;
    });
    outcomes.set(entry.file, result);
  }
  return result;
}

async function acceptedOutputs(): Promise<[CorpusEntry, SanitizedImage][]> {
  const accepted: [CorpusEntry, SanitizedImage][] = [];
  for (const entry of corpus) {
    const result = await outcome(entry);
    if (!(result instanceof ImageRejectedError)) accepted.push([entry, result]);
  }
  return accepted;
}

async function output(file: string): Promise<SanitizedImage> {
  const result = await outcome(byName.get(file)!);
  if (result instanceof ImageRejectedError) throw new Error(`${file} was refused: ${result.message}`);
  return result;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const exiftoolJson = (args: string[]) =>
  JSON.parse(
    execFileSync("exiftool", ["-j", ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] }),
  ) as Record<string, unknown>[];

describe("sanitizeImage on both corpora", () => {
  it("has every file of both manifests, each name once", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(110);
    expect(byName.size).toBe(corpus.length);
  });

  it.each(corpus.map((entry) => [`${entry.corpus}/${entry.file}`, entry] as const))(
    "%s gets the outcome its manifest expects",
    async (_name, entry) => {
      const result = await outcome(entry);
      if (entry.expected === "accept") {
        expect(result, result instanceof Error ? result.message : "").not.toBeInstanceOf(ImageRejectedError);
      } else if (entry.expected === "reject") {
        expect(result).toBeInstanceOf(ImageRejectedError);
        const { reason } = result as ImageRejectedError;
        expect(rejectionReasons).toContain(reason);
        if (entry.reasons.length) expect(entry.reasons).toContain(reason);
      } else if (result instanceof ImageRejectedError) {
        expect(result.reason).toBe("corrupt");
      }
    },
  );

  it("turns every accepted file into a plain sRGB picture of the size it claims, hashed as stored", async () => {
    const accepted = await acceptedOutputs();
    expect(accepted.length).toBeGreaterThanOrEqual(85);
    for (const [entry, image] of accepted) {
      const input = readFileSync(entry.path);
      const meta = await sharp(image.data).metadata();
      const label = entry.file;
      expect(meta.format, label).toBe(image.format);
      expect([meta.width, meta.height], label).toEqual([image.width, image.height]);
      expect(meta.space, label).toBe("srgb");
      expect(meta.depth, label).toBe("uchar");
      expect(meta.channels, label).toBe(image.format === "jpeg" ? 3 : meta.hasAlpha ? 4 : 3);
      expect([meta.hasProfile, meta.exif, meta.xmp, meta.iptc, meta.orientation], label).toEqual([false, undefined, undefined, undefined, undefined]);
      expect(image.sha256, label).toBe(sha256(image.data));
      expect(image.originalSha256, label).toBe(sha256(input));
      expect(image.perceptualHash, label).toMatch(/^[0-9a-f]{16}$/);
      expect(Object.keys(image.evidence).filter((k) => !["takenAt", "latitude", "longitude"].includes(k)), label).toEqual([]);
      const inputFormat = (await sharp(input).metadata()).format;
      if (inputFormat === "png" || inputFormat === "gif") expect(image.format, label).toBe("png");
      if (inputFormat === "jpeg" || inputFormat === "tiff" || inputFormat === "heif") expect(image.format, label).toBe("jpeg");
      if (entry.outputSize) expect(`${image.width}x${image.height}`, label).toBe(entry.outputSize);
    }
  });

  it("leaves no tag that could tell who, where, when or with what, by exiftool's and exifr's reading", async () => {
    const accepted = await acceptedOutputs();
    const files = accepted.map(([entry, image]) => {
      const file = path.join(scratch, `${entry.file}.${image.format}`);
      writeFileSync(file, image.data);
      return file;
    });
    const report = execFileSync("exiftool", ["-a", "-G1", "-s", ...files], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    const tagLines = report.split("\n").filter((line) => line.startsWith("["));
    expect(tagLines.length).toBeGreaterThan(accepted.length * 5);
    const groups = new Set(tagLines.map((line) => /^\[([^\]]+)\]/.exec(line)![1]!));
    expect([...groups].filter((g) => !["System", "File", "ExifTool", "Composite", "JFIF", "PNG", "PNG-pHYs"].includes(g))).toEqual([]);
    const identifying =
      /GPS|Make|Model|Serial|Date|Time|Orientation|XMP|IPTC|MakerNote|Comment|Thumbnail|Preview|Profile|ICC|Artist|Copyright|Software|Owner|Description|Title|Keyword|Creator|Lens|Camera|Text/i;
    const leaks = tagLines.filter((line) => !line.startsWith("[System]") && identifying.test(line.slice(0, 48)));
    expect(leaks).toEqual([]);

    for (const [entry, image] of accepted) {
      const tags = (await exifr
        .parse(image.data, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: true, ifd1: true, makerNote: true, userComment: true, jfif: false, ihdr: false })
        .catch(() => undefined)) as Record<string, unknown> | undefined;
      expect(Object.keys(tags ?? {}), entry.file).toEqual([]);
      expect(await exifr.thumbnail(image.data).catch(() => undefined), entry.file).toBeUndefined();
      expect(await exifr.orientation(image.data).catch(() => undefined), entry.file).toBeUndefined();
    }
  });

  it("lets none of the names, places and serials planted in the originals through", async () => {
    const planted = ["Olena Kovalenko", "Mariupol", "F2LXK9ABC123", "PK\u0003\u0004", "phpinfo", "/etc/passwd", "Canon EOS"];
    const accepted = await acceptedOutputs();
    const carriers = accepted.filter(([entry]) => planted.some((p) => readFileSync(entry.path).toString("latin1").includes(p)));
    expect(carriers.length).toBeGreaterThanOrEqual(8);
    for (const [entry, image] of accepted) {
      const bytes = image.data.toString("latin1");
      for (const p of planted) expect(bytes.includes(p), `${p} in the output of ${entry.file}`).toBe(false);
    }
  });

  it("reads where GPS-tagged photos were taken within 0.0001° of exiftool, and nothing for the others", async () => {
    const accepted = await acceptedOutputs();
    const readings = exiftoolJson(["-n", "-GPSLatitude", "-GPSLongitude", ...accepted.map(([entry]) => entry.path)]);
    let located = 0;
    for (const [i, [entry, image]] of accepted.entries()) {
      const { GPSLatitude: lat, GPSLongitude: lon } = readings[i] as { GPSLatitude?: number; GPSLongitude?: number };
      const { latitude, longitude } = image.evidence;
      if (typeof lat === "number" && typeof lon === "number" && !(lat === 0 && lon === 0)) {
        located++;
        expect(Math.abs(latitude! - lat), entry.file).toBeLessThanOrEqual(0.0001);
        expect(Math.abs(longitude! - lon), entry.file).toBeLessThanOrEqual(0.0001);
      } else {
        expect([latitude, longitude], entry.file).toEqual([undefined, undefined]);
      }
      if (entry.gps && !(lat === 0 && lon === 0)) expect(latitude, `${entry.file} is GPS-tagged by its manifest`).toBeDefined();
    }
    expect(located).toBeGreaterThanOrEqual(20);
  });

  it("reads when photos were taken as exiftool reads the EXIF capture time, with its UTC offset when there is one", async () => {
    const accepted = await acceptedOutputs();
    const readings = exiftoolJson(["-EXIF:DateTimeOriginal", "-EXIF:OffsetTimeOriginal", ...accepted.map(([entry]) => entry.path)]);
    let dated = 0;
    for (const [i, [entry, image]] of accepted.entries()) {
      const { DateTimeOriginal: clock, OffsetTimeOriginal: offset } = readings[i] as { DateTimeOriginal?: string; OffsetTimeOriginal?: string };
      const parts = typeof clock === "string" ? /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(clock) : null;
      if (!parts) continue;
      const [y, mo, d, h, mi, s] = parts.slice(1).map(Number) as number[];
      const sign = offset?.startsWith("-") ? -1 : 1;
      const offsetMinutes = offset ? sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) : 0;
      const expected = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offsetMinutes * 60_000;
      if (expected < Date.UTC(1990, 0, 1) || expected > Date.now() + 86_400_000) {
        expect(image.evidence.takenAt, entry.file).toBeUndefined();
        continue;
      }
      dated++;
      expect(image.evidence.takenAt?.toISOString(), entry.file).toBe(new Date(expected).toISOString());
    }
    expect(dated).toBeGreaterThanOrEqual(35);
    const offsetPhoto = (await output("jpg_mobile_HMD_Nokia_8.3_5G.jpg")).evidence.takenAt;
    expect(offsetPhoto?.toISOString()).toBe("2022-08-14T11:12:31.000Z");
  });

  it.each([["jpg_orientation_landscape_"], ["recurser_Landscape_"]])(
    "turns the eight EXIF orientations of %s* upright: their pixels match orientation 1's",
    async (prefix) => {
      const thumbnail = (input: Buffer | Sharp) =>
        (Buffer.isBuffer(input) ? sharp(input) : input).resize(48, 32, { fit: "fill" }).greyscale().raw().toBuffer();
      const distance = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
      const upright = await output(`${prefix}1.jpg`);
      const reference = await thumbnail(upright.data);
      for (let n = 2; n <= 8; n++) {
        const file = `${prefix}${n}.jpg`;
        const image = await output(file);
        expect([image.width, image.height], file).toEqual([upright.width, upright.height]);
        expect(distance(await thumbnail(image.data), reference), file).toBeLessThan(4);
        // The stored pixels without the tag applied look clearly different, so the comparison has teeth.
        const unturned = await thumbnail(sharp(readFileSync(byName.get(file)!.path)));
        expect(distance(unturned, reference), `${file} as stored`).toBeGreaterThan(12);
      }
    },
  );

  it("applies a HEIC's container rotation once: an EXIF orientation inside does not turn it again", async () => {
    const entry = byName.get("heic_mobile_HMD_Nokia_8.3_5G.heif")!;
    const original = readFileSync(entry.path);
    const upright = await output(entry.file);
    // The file stores 4608×3456 with irot = 270° and EXIF orientation 1.
    expect([upright.width, upright.height]).toEqual([3456, 4608]);
    const tagged = Buffer.from(original);
    const orientationTag = Buffer.from([0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00]);
    const at = tagged.indexOf(orientationTag);
    expect(at).toBeGreaterThan(0);
    tagged.writeUInt16LE(6, at + 8);
    const file = path.join(scratch, "nokia-orientation-6.heif");
    writeFileSync(file, tagged);
    expect(exiftoolJson(["-n", "-EXIF:Orientation", file])[0]!.Orientation).toBe(6);
    const result = await sanitizeImage(tagged);
    expect([result.width, result.height]).toEqual([3456, 4608]);
    expect(result.sha256).toBe(upright.sha256);
  }, 120_000);

  it("keeps the perceptual hashes of different corpus photos more than 16 bits apart", async () => {
    const accepted = await acceptedOutputs();
    // Same picture by design, so left out of "different": the eight orientation samples of each set (one
    // photo turned eight ways), the scene made for this corpus in five containers (800×600), and files that
    // both corpora hold byte for byte. Pictures with no detail (a uniform grey field, a 1×1 or 8×8 file)
    // have nothing for a perceptual hash to describe and are left out too, by measuring, not by name.
    const sameScene = (entry: CorpusEntry) =>
      /^(jpg_orientation_landscape|recurser_Landscape)_[2-8]\./.test(entry.file) ||
      (entry.origin === "made for this corpus" && entry.size === "800x600" && entry.file !== "jpeg_everything.jpg");
    const seen = new Set<string>();
    const photos: [CorpusEntry, SanitizedImage][] = [];
    for (const [entry, image] of accepted) {
      if (sameScene(entry) || seen.has(image.originalSha256)) continue;
      seen.add(image.originalSha256);
      const grey = await sharp(image.data).greyscale().resize(32, 32, { fit: "fill" }).raw().toBuffer();
      const mean = grey.reduce((s, v) => s + v, 0) / grey.length;
      const spread = Math.sqrt(grey.reduce((s, v) => s + (v - mean) ** 2, 0) / grey.length);
      if (Math.min(image.width, image.height) < 16 || spread < 2) continue;
      photos.push([entry, image]);
    }
    expect(photos.length).toBeGreaterThanOrEqual(60);
    const tooClose: string[] = [];
    for (let i = 0; i < photos.length; i++) {
      for (let j = i + 1; j < photos.length; j++) {
        const d = hammingDistance(photos[i]![1].perceptualHash, photos[j]![1].perceptualHash);
        if (d <= 16) tooClose.push(`${photos[i]![0].file} ~ ${photos[j]![0].file}: ${d}`);
      }
    }
    expect(tooClose).toEqual([]);
  });
});
