import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import decodeHeic from "heic-decode";
import sharp, { type Sharp } from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { hammingDistance, SAME_PHOTO_DISTANCE } from "../../src/media/perceptual-hash.js";
import { ImageRejectedError, sanitizeImage } from "../../src/media/sanitize.js";
import { corpusDir, mainCorpus, moreCorpusDir } from "./corpus.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "svidok-pixels-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const read = (file: string) => readFileSync(path.join(corpusDir, file));
const raw = (image: Buffer | Sharp) => (Buffer.isBuffer(image) ? sharp(image) : image).raw().toBuffer();
const meanAbsoluteDifference = (a: Buffer, b: Buffer) => {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

async function rejection(input: Buffer, options?: Parameters<typeof sanitizeImage>[1]): Promise<ImageRejectedError> {
  const result = await sanitizeImage(input, options).catch((error: unknown) => error);
  expect(result).toBeInstanceOf(ImageRejectedError);
  return result as ImageRejectedError;
}

describe("colours", () => {
  it("converts an iPhone HEIC from Display P3 to sRGB as its own profile says", async () => {
    const file = path.join(corpusDir, "heic_IMG_5195.HEIC");
    const input = readFileSync(file);
    const ours = await sanitizeImage(input);
    // An independent reference: the decoded pixels written as PNG, the HEIC's profile attached by exiftool.
    const decoded = await decodeHeic({ buffer: input });
    const pixels = sharp(Buffer.from(decoded.data.buffer), { raw: { width: decoded.width, height: decoded.height, channels: 4 } }).removeAlpha();
    const reference = path.join(scratch, "p3.png");
    await pixels.clone().png({ compressionLevel: 1 }).toFile(reference);
    const profile = path.join(scratch, "p3.icc");
    writeFileSync(profile, execFileSync("exiftool", ["-b", "-ICC_Profile", file]));
    expect(readFileSync(profile).toString("latin1")).toContain("Display P3");
    execFileSync("exiftool", ["-q", "-overwrite_original", `-ICC_Profile<=${profile}`, reference]);
    const converted = await raw(sharp(reference).toColourspace("srgb"));
    const unconverted = await raw(pixels);
    const stored = await raw(ours.data);
    // JPEG at quality 90 alone moves pixels by about 1 level on average.
    expect(meanAbsoluteDifference(stored, converted)).toBeLessThan(1.6);
    expect(meanAbsoluteDifference(stored, unconverted)).toBeGreaterThan(2.2);
  }, 120_000);

  it("converts a CMYK JPEG to sRGB through its embedded profile", async () => {
    const input = readFileSync(path.join(moreCorpusDir, "sharp_CMYK_color_with_profile.jpg"));
    expect((await sharp(input).metadata()).space).toBe("cmyk");
    const ours = await sanitizeImage(input);
    const meta = await sharp(ours.data).metadata();
    expect([meta.space, meta.channels, meta.hasProfile]).toEqual(["srgb", 3, false]);
    const stored = await raw(ours.data);
    // This picture is busy: JPEG at quality 90 alone moves its pixels by about 3 levels on average.
    expect(meanAbsoluteDifference(stored, await raw(sharp(input).withIccProfile("srgb")))).toBeLessThan(4);
    expect(meanAbsoluteDifference(stored, await raw(sharp(input, { ignoreIcc: true }).toColourspace("srgb")))).toBeGreaterThan(8);
  });

  it("stores 16-bit and grey PNGs as 8-bit sRGB, keeps PNG transparency and flattens JPEG's onto white", async () => {
    const grey16 = await sharp(read("jpg_gps_DSCN0010.jpg")).resize(64).toColourspace("grey16").png().toBuffer();
    expect((await sharp(grey16).metadata()).depth).toBe("ushort");
    const rgb16 = await sharp(read("jpg_gps_DSCN0010.jpg")).resize(64).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(rgb16).metadata()).depth).toBe("ushort");
    for (const input of [grey16, rgb16]) {
      const out = await sanitizeImage(input);
      const meta = await sharp(out.data).metadata();
      expect([out.format, meta.depth, meta.space, meta.channels]).toEqual(["png", "uchar", "srgb", 3]);
    }

    const transparent = sharp(Buffer.alloc(8 * 8 * 4, 0), { raw: { width: 8, height: 8, channels: 4 } });
    const png = await sanitizeImage(await transparent.clone().png().toBuffer());
    expect((await sharp(png.data).metadata()).hasAlpha).toBe(true);
    const tiffInput = await transparent.clone().tiff({ compression: "lzw" }).toBuffer();
    expect((await sharp(tiffInput).metadata()).hasAlpha).toBe(true);
    const tiff = await sanitizeImage(tiffInput);
    expect(tiff.format).toBe("jpeg");
    const [r, g, b] = await raw(tiff.data);
    expect(Math.min(r!, g!, b!)).toBeGreaterThan(250);
  });
});

describe("output format", () => {
  it("keeps lossless WebP lossless (PNG) and stores lossy WebP as JPEG", async () => {
    const photo = await sharp(read("jpg_gps_DSCN0010.jpg")).resize(200).toBuffer();
    expect((await sanitizeImage(await sharp(photo).webp({ lossless: true }).toBuffer())).format).toBe("png");
    expect((await sanitizeImage(await sharp(photo).webp({ quality: 80 }).toBuffer())).format).toBe("jpeg");
    const animated = await sharp(read("gif_animated.gif"), { pages: -1 }).webp({ lossless: true }).toBuffer();
    expect((await sharp(animated).metadata()).pages).toBeGreaterThan(1);
    expect((await sanitizeImage(animated)).format).toBe("png");
  });

  it("stores only the first frame of an animation", async () => {
    const gif = read("gif_animated.gif");
    const meta = await sharp(gif).metadata();
    expect(meta.pages).toBeGreaterThan(1);
    const out = await sanitizeImage(gif);
    expect([out.width, out.height]).toEqual([meta.width, meta.pageHeight ?? meta.height]);
  });
});

describe("type and limits", () => {
  it("decides the type from the bytes: a name or an extension changes nothing", async () => {
    expect((await rejection(read("text_named.jpg"))).reason).toBe("not_an_image");
    expect((await rejection(readFileSync(path.join(moreCorpusDir, "patt_imagetragick_mvg_url_touch.jpg")))).reason).toBe("not_an_image");
    const png = read("png_exif_text.png");
    expect((await sanitizeImage(png)).format).toBe("png");
    // The same bytes behind a prefix are no longer a PNG.
    expect((await rejection(Buffer.concat([Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), png]))).reason).toBe("not_an_image");
    expect((await rejection(Buffer.from("BM" + "\0".repeat(60), "latin1"))).reason).toBe("unsupported_format");
  });

  it("refuses a file over the byte limit before reading it", async () => {
    const photo = read("jpg_gps_DSCN0010.jpg");
    expect((await rejection(photo, { maxBytes: photo.length - 1 })).reason).toBe("too_large");
    expect((await sanitizeImage(photo, { maxBytes: photo.length })).width).toBe(640);
  });

  it("refuses a picture over the pixel limit from its header, HEIC included, without decoding it", async () => {
    const photo = read("jpg_gps_DSCN0010.jpg");
    expect((await rejection(photo, { maxPixels: 640 * 480 - 1 })).reason).toBe("too_many_pixels");
    const heic = read("heic_mobile_HMD_Nokia_8.3_5G.heif");
    const started = performance.now();
    expect((await rejection(heic, { maxPixels: 10_000_000 })).reason).toBe("too_many_pixels");
    // Decoding this 16-megapixel HEIC takes seconds; reading its header, milliseconds.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses a bad limit as the caller's mistake, not the picture's", async () => {
    await expect(sanitizeImage(read("jpg_gps_DSCN0010.jpg"), { maxPixels: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe("appended data", () => {
  it("drops a ZIP appended to a JPEG, a PNG and a TIFF, and the names inside it", async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from("Olena Kovalenko, Mariupol, serial F2LXK9ABC123"), "notes.txt", { compress: false });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const archive = Buffer.concat(chunks);
    const photo = await sharp(read("jpg_gps_DSCN0010.jpg")).resize(160).toBuffer();
    for (const carrier of [photo, await sharp(photo).png().toBuffer(), await sharp(photo).tiff().toBuffer()]) {
      const input = Buffer.concat([carrier, archive]);
      expect(input.includes("PK\u0003\u0004")).toBe(true);
      const out = await sanitizeImage(input);
      for (const planted of ["PK\u0003\u0004", "Olena Kovalenko", "Mariupol", "F2LXK9ABC123", "notes.txt"]) {
        expect(out.data.includes(planted)).toBe(false);
      }
    }
  });
});

describe("perceptual hash of stored photos", () => {
  it("keeps resized and re-compressed copies of every corpus camera photo within the same-photo distance", async () => {
    // The camera photos of the first corpus, as a reporter or a second witness would send them again:
    // through Telegram's photo compression (1280 px, JPEG), smaller, harder compressed, as WebP.
    const photos = mainCorpus().filter((e) => e.expected === "accept" && e.file.startsWith("jpg_") && !e.file.startsWith("jpg_orientation_landscape_"));
    expect(photos.length).toBeGreaterThanOrEqual(35);
    const worst: string[] = [];
    for (const entry of photos) {
      const original = await sanitizeImage(readFileSync(entry.path));
      const upright = sharp(original.data);
      const copies = {
        telegram: upright.clone().resize(1280, 1280, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 87 }),
        half: upright.clone().resize(Math.max(32, Math.round(original.width / 2))).jpeg({ quality: 75 }),
        small: upright.clone().resize(Math.max(32, Math.min(320, original.width))).jpeg({ quality: 50 }),
        webp: upright.clone().resize(Math.min(800, original.width)).webp({ quality: 60 }),
      };
      for (const [name, copy] of Object.entries(copies)) {
        const resent = await sanitizeImage(await copy.toBuffer());
        const distance = hammingDistance(original.perceptualHash, resent.perceptualHash);
        if (distance > SAME_PHOTO_DISTANCE) worst.push(`${entry.file} (${name}): ${distance}`);
      }
    }
    expect(worst).toEqual([]);
  }, 60_000);
});
