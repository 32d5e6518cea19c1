import { ImageRejectedError } from "./image-rejected-error.js";

export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "tiff" | "heic" | "avif";

const ascii = (bytes: Buffer, start: number, end: number) => bytes.subarray(start, end).toString("latin1");

function isoBrands(bytes: Buffer): string[] | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== "ftyp") return undefined;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands;
}

/**
 * The format as the bytes say, never the name or the declared type. Only raster photo formats pass: vector
 * images (SVG), documents (PDF, DjVu), video and anything else are refused before any decoder sees them.
 */
export function detectFormat(bytes: Buffer): ImageFormat {
  if (bytes.length < 12) throw new ImageRejectedError("not_an_image", "too short to be an image");
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 0, 4) === "II*\0" || ascii(bytes, 0, 4) === "MM\0*") return "tiff";
  const brands = isoBrands(bytes);
  if (brands) {
    if (brands.some((b) => b === "avif" || b === "avis")) return "avif";
    if (brands.some((b) => ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].includes(b))) return "heic";
    throw new ImageRejectedError("unsupported_format", `ISO media (${brands[0]})`);
  }
  if (ascii(bytes, 0, 2) === "BM" || ascii(bytes, 0, 4) === "8BPS" || bytes.subarray(0, 4).equals(Buffer.from([0, 0, 1, 0]))) {
    throw new ImageRejectedError("unsupported_format", "bitmap format not accepted");
  }
  throw new ImageRejectedError("not_an_image", "unknown signature");
}

/** Lossless WebP (VP8L) holds screenshots and drawings: it is stored as PNG, like PNG and GIF. */
export function isLosslessWebp(bytes: Buffer): boolean {
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const chunk = ascii(bytes, offset, offset + 4);
    if (chunk === "VP8L") return true;
    if (chunk === "VP8 ") return false;
    const size = bytes.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return false;
}
