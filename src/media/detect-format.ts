import { ImageRejectedError } from "./image-rejected-error.js";

/** HEIC and AVIF share one container (HEIF); which codec is inside is read from the header later. */
export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "tiff" | "heif";

const ascii = (bytes: Buffer, start: number, end: number) => bytes.toString("latin1", start, Math.min(end, bytes.length));
const startsWith = (bytes: Buffer, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

const heifBrands = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "miaf", "avif", "avis"]);

function isoBrands(bytes: Buffer): string[] | undefined {
  if (ascii(bytes, 4, 8) !== "ftyp") return undefined;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands;
}

/**
 * The format as the bytes say, never the name or the declared type. Only raster photo formats pass: vector
 * images (SVG), documents (PDF, DjVu), scripts (MVG), video and anything else are refused before any decoder
 * sees them, so no decoder is ever asked to guess.
 */
export function detectFormat(bytes: Buffer): ImageFormat {
  if (bytes.length < 12) throw new ImageRejectedError("not_an_image", "too short to be an image");
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 0, 4) === "II*\0" || ascii(bytes, 0, 4) === "MM\0*") return "tiff";
  const brands = isoBrands(bytes);
  if (brands) {
    if (brands.some((brand) => heifBrands.has(brand))) return "heif";
    throw new ImageRejectedError("unsupported_format", `ISO media (${brands[0]})`);
  }
  // Images of kinds a phone does not take photos in: named so the person is told the format is the problem.
  if (
    ascii(bytes, 0, 2) === "BM" ||
    ascii(bytes, 0, 4) === "8BPS" ||
    ascii(bytes, 0, 4) === "qoif" ||
    startsWith(bytes, [0, 0, 1, 0]) ||
    startsWith(bytes, [0xff, 0x0a]) ||
    startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]) ||
    startsWith(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) ||
    startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])
  ) {
    throw new ImageRejectedError("unsupported_format", "image format not accepted");
  }
  throw new ImageRejectedError("not_an_image", "unknown signature");
}

/**
 * Lossless WebP (VP8L) holds screenshots and drawings: it is stored as PNG, like PNG and GIF. An animation
 * is judged by its first frame.
 */
export function isLosslessWebp(bytes: Buffer): boolean {
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const chunk = ascii(bytes, offset, offset + 4);
    if (chunk === "VP8L") return true;
    if (chunk === "VP8 ") return false;
    if (chunk === "ANMF") {
      // A frame: 16 bytes of position and timing, then its own chunks.
      offset += 8 + 16;
      continue;
    }
    const size = bytes.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return false;
}
