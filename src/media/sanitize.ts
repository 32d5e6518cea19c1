import { createHash } from "node:crypto";
import sharp, { type Metadata, type OutputInfo, type Sharp } from "sharp";
import { detectFormat, type ImageFormat, isLosslessWebp } from "./detect-format.js";
import { type PhotoEvidence, readEvidence } from "./evidence.js";
import { decodeHeicFirstImage } from "./heic.js";
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
  /** 64-bit dHash, 16 hex characters. */
  perceptualHash: string;
  /** When and where, read from the original; never written into `data`. */
  evidence: PhotoEvidence;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 100_000_000;
const JPEG_QUALITY = 90;

// Decoded pixels are not worth caching between photos; the cache would only hold memory.
sharp.cache(false);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * The one gate every picture passes before it is stored: type from the bytes, size and pixel limits before
 * decoding, the capture time and place kept aside as evidence, then decoded, turned upright, converted to
 * sRGB and encoded anew, so no byte of the original's metadata (EXIF, GPS, XMP, IPTC, maker notes,
 * thumbnails, comments, text chunks, profiles, appended data) can reach the output.
 * Rejects only with ImageRejectedError.
 */
export async function sanitizeImage(input: Buffer, options: SanitizeOptions = {}): Promise<SanitizedImage> {
  try {
    return await sanitize(input, options.maxBytes ?? DEFAULT_MAX_BYTES, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  } catch (error) {
    if (error instanceof ImageRejectedError) throw error;
    throw new ImageRejectedError("corrupt", error instanceof Error ? error.message : String(error));
  }
}

async function sanitize(input: Buffer, maxBytes: number, maxPixels: number): Promise<SanitizedImage> {
  if (!Buffer.isBuffer(input) || input.length === 0) throw new ImageRejectedError("not_an_image", "no bytes");
  if (input.length > maxBytes) throw new ImageRejectedError("too_large");
  const format = detectFormat(input);
  const lossless = format === "png" || format === "gif" || (format === "webp" && isLosslessWebp(input));
  const evidence = await readEvidence(input, { isoMedia: format === "avif" || format === "heic" });
  const pipeline = format === "heic" ? await heicPipeline(input, maxPixels) : await sharpPipeline(input, format, maxPixels);
  const encoder = lossless
    ? pipeline.toColourspace("srgb").png({ compressionLevel: 6, adaptiveFiltering: false })
    : pipeline.toColourspace("srgb").flatten({ background: "#ffffff" }).jpeg({ quality: JPEG_QUALITY, mozjpeg: false });
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await encoder.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageRejectedError(rejectionFor(error), (error as Error).message);
  }
  return {
    data: output.data,
    format: lossless ? "png" : "jpeg",
    width: output.info.width,
    height: output.info.height,
    sha256: sha256(output.data),
    originalSha256: sha256(input),
    perceptualHash: await perceptualHash(output.data),
    evidence,
  };
}

async function sharpPipeline(input: Buffer, format: ImageFormat, maxPixels: number): Promise<Sharp> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false, failOn: "none" }).metadata();
  } catch (error) {
    throw new ImageRejectedError(rejectionFor(error), (error as Error).message);
  }
  const declared = metadata.format === "heif" ? (format === "avif" ? "avif" : "heic") : metadata.format;
  if (declared !== format && !(format === "jpeg" && declared === "jpeg")) {
    throw new ImageRejectedError("unsupported_format", `signature ${format}, decoder sees ${metadata.format}`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width < 1 || height < 1) throw new ImageRejectedError("corrupt", "no dimensions in the header");
  if (width * height > maxPixels) throw new ImageRejectedError("too_many_pixels");
  // Only the first frame of an animation or a multi-page TIFF; failOn "error" lets a slightly odd but
  // decodable photo through and stops at real damage.
  return sharp(input, { limitInputPixels: maxPixels, failOn: "error", pages: 1, page: 0, sequentialRead: true }).autoOrient();
}

async function heicPipeline(input: Buffer, maxPixels: number): Promise<Sharp> {
  const raw = await decodeHeicFirstImage(input, maxPixels);
  return sharp(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), {
    raw: { width: raw.width, height: raw.height, channels: 4 },
  });
}

function rejectionFor(error: unknown): RejectionReason {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return "too_many_pixels";
  if (/unsupported image format/i.test(message)) return "unsupported_format";
  return "corrupt";
}

export interface Sanitizer {
  sanitize(input: Buffer): Promise<SanitizedImage>;
}

/**
 * One per process: photos arriving together (an album, many reporters at once) wait their turn instead of
 * being decoded all at once, which bounds memory.
 */
export function createSanitizer(options: { concurrency: number; maxBytes: number; maxPixels: number }): Sanitizer {
  const queue = createWorkQueue(options.concurrency);
  return {
    sanitize: (input) => queue.run(() => sanitizeImage(input, options)),
  };
}
