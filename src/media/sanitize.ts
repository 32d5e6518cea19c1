import { createHash } from "node:crypto";
import sharp, { type Metadata, type Sharp } from "sharp";
import { detectFormat, type ImageFormat, isLosslessWebp } from "./detect-format.js";
import { type PhotoEvidence, readEvidence } from "./evidence.js";
import { decodeHeic, tagPngWithProfile } from "./heic.js";
import { ImageRejectedError, type RejectionReason } from "./image-rejected-error.js";
import { perceptualHash } from "./perceptual-hash.js";
import { createWorkQueue } from "./work-queue.js";

export { ImageRejectedError, type RejectionReason } from "./image-rejected-error.js";
export type { PhotoEvidence } from "./evidence.js";

export interface SanitizeOptions {
  /** Default 20 MB. */
  maxBytes?: number;
  /** Default 100 megapixels, checked from the header before any pixel is decoded. */
  maxPixels?: number;
}

export interface SanitizedImage {
  data: Buffer;
  format: "jpeg" | "png";
  width: number;
  height: number;
  /** SHA-256 of `data`, lowercase hex. */
  sha256: string;
  /** SHA-256 of the bytes as received, lowercase hex. */
  originalSha256: string;
  /** 64-bit pHash of the stored picture, 16 lowercase hex digits. */
  perceptualHash: string;
  /** When and where, read from the original; never written into `data`. */
  evidence: PhotoEvidence;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 100_000_000;
export const DEFAULT_CONCURRENCY = 2;
const JPEG_QUALITY = 90;
const JPEG_MAX_SIDE = 65_535;
const TIMEOUT_SECONDS = 60;

// Decoded pixels are never reused between photos: a cache would only hold memory.
sharp.cache(false);
// Parallelism comes from the queue (several photos at once), not from threads inside one photo: every libvips
// thread keeps its own buffers and allocator arena, and JPEG decoding and encoding are serial anyway.
sharp.concurrency(1);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * The one gate every picture passes before it is stored: type from the bytes, size and pixel limits from the
 * header before any pixel is decoded, the capture time and place kept aside as evidence, then decoded, turned
 * upright, converted to sRGB and encoded anew. The output is written from pixels alone, so no byte of the
 * original's metadata (EXIF, GPS, XMP, IPTC, maker notes, thumbnails, comments, text chunks, profiles,
 * appended data) can reach it. Rejects only with ImageRejectedError, whatever the bytes (and with a
 * RangeError for a limit that is not a positive number, which is the caller's mistake).
 */
export async function sanitizeImage(input: Buffer, options: SanitizeOptions = {}): Promise<SanitizedImage> {
  const maxBytes = limit(options.maxBytes, DEFAULT_MAX_BYTES);
  const maxPixels = limit(options.maxPixels, DEFAULT_MAX_PIXELS);
  try {
    return await sanitize(input, maxBytes, maxPixels);
  } catch (error) {
    if (error instanceof ImageRejectedError) throw error;
    throw new ImageRejectedError(rejectionFor(error), error instanceof Error ? error.message : String(error));
  }
}

function limit(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Expected a positive limit but received ${value}`);
  return value;
}

async function sanitize(input: Buffer, maxBytes: number, maxPixels: number): Promise<SanitizedImage> {
  if (!Buffer.isBuffer(input) || input.length === 0) throw new ImageRejectedError("not_an_image", "no bytes");
  if (input.length > maxBytes) throw new ImageRejectedError("too_large");
  const format = detectFormat(input);
  const header = await readHeader(input, format, maxPixels);
  const evidence = await readEvidence(input, { exif: header.exif, xmp: header.xmp });
  const lossless = format === "png" || format === "gif" || (format === "webp" && isLosslessWebp(input));
  const pixels = header.compression === "hevc" ? await heicPixels(input, header, maxPixels) : decodable(input, maxPixels);
  const pipeline = pixels.toColourspace("srgb").timeout({ seconds: TIMEOUT_SECONDS });
  const encoder = lossless
    ? pipeline.png({ compressionLevel: 6 })
    : // Huffman tables are not optimised: files about 1% larger, half the encoding time, and no buffer of the
      // whole picture's coefficients (36 MB for 12 megapixels) while encoding.
      pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: JPEG_QUALITY, optimiseCoding: false, mozjpeg: false });
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return {
    data,
    format: lossless ? "png" : "jpeg",
    width: info.width,
    height: info.height,
    sha256: sha256(data),
    originalSha256: sha256(input),
    perceptualHash: await perceptualHash(data),
    evidence,
  };
}

const decoderFormat: Record<ImageFormat, Metadata["format"]> = {
  jpeg: "jpeg",
  png: "png",
  gif: "gif",
  webp: "webp",
  tiff: "tiff",
  heif: "heif",
};

/** The header alone: dimensions and the metadata blocks, without decoding a pixel, so a bomb costs nothing. */
async function readHeader(input: Buffer, format: ImageFormat, maxPixels: number): Promise<Metadata> {
  const header = await sharp(input, { limitInputPixels: false, failOn: "none" }).metadata();
  if (header.format !== decoderFormat[format]) {
    throw new ImageRejectedError("unsupported_format", `signature says ${format}, the decoder sees ${header.format}`);
  }
  const width = header.width ?? 0;
  const height = header.pageHeight ?? header.height ?? 0;
  if (width < 1 || height < 1) throw new ImageRejectedError("corrupt", "no dimensions in the header");
  if (width * height > maxPixels) throw new ImageRejectedError("too_many_pixels", `${width}×${height}`);
  // JPEG cannot hold a side longer than this; no photo or screenshot has one.
  if (Math.max(width, height) > JPEG_MAX_SIDE) throw new ImageRejectedError("too_many_pixels", `${width}×${height}`);
  return header;
}

function decodable(input: Buffer, maxPixels: number): Sharp {
  // The first frame of an animation or page of a multi-page TIFF. failOn "error" lets a slightly odd but
  // decodable photo through and stops at damage, truncation included. libvips reports no orientation for
  // HEIF-family files (their container rotation is applied on decoding), so autoOrient turns each once.
  return sharp(input, { limitInputPixels: maxPixels, failOn: "error", pages: 1, page: 0 }).autoOrient();
}

async function heicPixels(input: Buffer, header: Metadata, maxPixels: number): Promise<Sharp> {
  const raw = await decodeHeic(input, maxPixels);
  if (raw.width !== header.width || raw.height !== header.height) {
    throw new ImageRejectedError("corrupt", `header says ${header.width}×${header.height}, decoded ${raw.width}×${raw.height}`);
  }
  const decoded = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 }, limitInputPixels: maxPixels });
  // The decoder always gives four channels; the fourth is only worth keeping where the file has transparency.
  const pixels = header.hasAlpha ? decoded : decoded.removeAlpha();
  if (!header.icc) return pixels;
  const png = await pixels.png({ compressionLevel: 0 }).toBuffer();
  return sharp(tagPngWithProfile(png, header.icc), { limitInputPixels: maxPixels });
}

function rejectionFor(error: unknown): RejectionReason {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return "too_many_pixels";
  if (/unsupported image format/i.test(message)) return "unsupported_format";
  return "corrupt";
}

export interface Sanitizer {
  sanitize(input: Buffer): Promise<SanitizedImage>;
  /**
   * Runs `task`, a picture's whole way from download to sanitized copy, once a place is free among the pictures
   * in hand: many arriving together then wait before their bytes are fetched, not as bytes in memory.
   */
  inHand<T>(task: () => Promise<T>): Promise<T>;
}

export interface SanitizerOptions extends SanitizeOptions {
  /** Photos decoded at once; default 2. */
  concurrency?: number;
  /** Photos downloaded, waiting to be decoded or being decoded at once; default twice `concurrency`. */
  inHand?: number;
}

/**
 * One per process: photos arriving together (an album, many reporters at once) wait their turn instead of
 * being downloaded and decoded all at once, which bounds memory: at most `inHand` pictures' bytes (each at most
 * `maxBytes`) and `concurrency` decodes (each at most `maxPixels`).
 */
export function createSanitizer(options: SanitizerOptions = {}): Sanitizer {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const queue = createWorkQueue(concurrency);
  // Twice the decoders: the next pictures are downloaded while the current ones are decoded.
  const hands = createWorkQueue(options.inHand ?? 2 * concurrency);
  // Checked now, so a bad setting stops the bot at start-up rather than at the first photo.
  const limits = { maxBytes: limit(options.maxBytes, DEFAULT_MAX_BYTES), maxPixels: limit(options.maxPixels, DEFAULT_MAX_PIXELS) };
  return {
    sanitize: (input) => queue.run(() => sanitizeImage(input, limits)),
    inHand: (task) => hands.run(task),
  };
}
