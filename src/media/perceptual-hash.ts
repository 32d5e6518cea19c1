import sharp from "sharp";

/**
 * dHash: the picture shrunk to 9×8 grey pixels, one bit per horizontal neighbour pair (brighter or not).
 * Survives re-compression and resizing, so the same photo sent to two cases can be found.
 */
export async function perceptualHash(image: Buffer): Promise<string> {
  const pixels = await sharp(image).greyscale().resize(9, 8, { fit: "fill", kernel: "cubic" }).raw().toBuffer();
  let bits = 0n;
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) {
      bits = (bits << 1n) | (pixels[row * 9 + col]! > pixels[row * 9 + col + 1]! ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, "0");
}

export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** At or under this distance two photos are treated as the same picture. */
export const SAME_PHOTO_DISTANCE = 8;
