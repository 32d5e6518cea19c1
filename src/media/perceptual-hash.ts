import sharp from "sharp";

const SIZE = 32;
const KEPT = 8;

// cos(π/N · (n + ½) · k) for the lowest KEPT frequencies of a SIZE-point DCT-II.
const basis = Array.from({ length: KEPT }, (_, k) =>
  Float64Array.from({ length: SIZE }, (_, n) => Math.cos((Math.PI / SIZE) * (n + 0.5) * k)),
);

/**
 * pHash: the picture shrunk to 32×32 grey pixels, its 8×8 lowest spatial frequencies (a discrete cosine
 * transform), one bit per frequency: above their median or not. Resizing and re-compressing barely move the
 * low frequencies, and the median splits the bits about evenly, so unrelated photos differ in about half of
 * them — unlike a gradient hash, which sets few bits for smooth skies and walls and lets such photos collide.
 * A uniform picture has no frequencies but the mean and hashes to a single set bit.
 */
export async function perceptualHash(image: Buffer): Promise<string> {
  const pixels = await sharp(image).greyscale().resize(SIZE, SIZE, { fit: "fill" }).raw().toBuffer();
  const rows = new Float64Array(SIZE * KEPT);
  for (let y = 0; y < SIZE; y++) {
    for (let k = 0; k < KEPT; k++) {
      let sum = 0;
      for (let x = 0; x < SIZE; x++) sum += pixels[y * SIZE + x]! * basis[k]![x]!;
      rows[y * KEPT + k] = sum;
    }
  }
  const coefficients = new Float64Array(KEPT * KEPT);
  for (let v = 0; v < KEPT; v++) {
    for (let k = 0; k < KEPT; k++) {
      let sum = 0;
      for (let y = 0; y < SIZE; y++) sum += rows[y * KEPT + k]! * basis[v]![y]!;
      coefficients[v * KEPT + k] = Math.round(sum * 1e6) / 1e6;
    }
  }
  // The mean (first coefficient) would dwarf the others: the median is taken over the 63 that carry detail.
  const median = [...coefficients.subarray(1)].sort((a, b) => a - b)[31]!;
  let bits = 0n;
  for (const coefficient of coefficients) bits = (bits << 1n) | (coefficient > median ? 1n : 0n);
  return bits.toString(16).padStart(16, "0");
}

const HASH = /^[0-9a-f]{16}$/;

/** How many of the 64 bits two hashes differ in: 0 for the same picture, about 32 for unrelated ones. */
export function hammingDistance(a: string, b: string): number {
  if (!HASH.test(a) || !HASH.test(b)) throw new RangeError("a perceptual hash is 16 lowercase hexadecimal digits");
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  for (; diff > 0n; count++) diff &= diff - 1n;
  return count;
}

/** At or under this distance two photos are treated as the same picture. */
export const SAME_PHOTO_DISTANCE = 8;
