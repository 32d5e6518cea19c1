import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { hammingDistance, perceptualHash } from "../../src/media/perceptual-hash.js";
import { seededRandom } from "../helpers/seeded-random.js";

const png = (pixels: Buffer, width: number, height: number) =>
  sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();

describe("hammingDistance", () => {
  it("counts the bits two hashes differ in", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("8000000000000001", "0000000000000000")).toBe(2);
    expect(hammingDistance("0f0f0f0f0f0f0f0f", "f0f0f0f0f0f0f0f0")).toBe(64);
    expect(hammingDistance("123456789abcdef0", "123456789abcdef1")).toBe(1);
    expect(hammingDistance("a5a5a5a5a5a5a5a5", "5a5a5a5a5a5a5a5a")).toBe(hammingDistance("5a5a5a5a5a5a5a5a", "a5a5a5a5a5a5a5a5"));
  });

  it("refuses anything but 16 lowercase hexadecimal digits", () => {
    for (const bad of ["", "123", "0000000000000000a", "000000000000000g", "FFFFFFFFFFFFFFFF"]) {
      expect(() => hammingDistance(bad, "0000000000000000"), bad).toThrow(RangeError);
    }
  });
});

describe("perceptualHash", () => {
  it("hashes a uniform picture to the mean bit alone, whatever its shade", async () => {
    for (const shade of [0, 128, 255]) {
      const hash = await perceptualHash(await png(Buffer.alloc(64 * 48, shade), 64, 48));
      expect(["8000000000000000", "0000000000000000"]).toContain(hash);
    }
  });

  it("sets about half the bits of a detailed picture and tells two different pictures apart", async () => {
    const random = seededRandom(7);
    const noise = () => png(Buffer.from(Array.from({ length: 96 * 64 }, () => Math.floor(random() * 256))), 96, 64);
    const [a, b] = [await perceptualHash(await noise()), await perceptualHash(await noise())];
    const ones = (hash: string) => hammingDistance(hash, "0000000000000000");
    expect(ones(a)).toBeGreaterThanOrEqual(28);
    expect(ones(a)).toBeLessThanOrEqual(36);
    expect(hammingDistance(a, b)).toBeGreaterThan(16);
  });

  it("does not depend on size or brightness, but does on a mirror image", async () => {
    const pixels = Buffer.alloc(120 * 80);
    for (let y = 0; y < 80; y++) for (let x = 0; x < 120; x++) pixels[y * 120 + x] = (x * 2 + (y > 40 ? 60 : 0) + (x > 90 ? 50 : 0)) % 256;
    const original = await png(pixels, 120, 80);
    const hash = await perceptualHash(original);
    expect(hammingDistance(hash, await perceptualHash(await sharp(original).resize(600).jpeg({ quality: 70 }).toBuffer()))).toBeLessThanOrEqual(4);
    expect(hammingDistance(hash, await perceptualHash(await sharp(original).linear(0.8, 20).png().toBuffer()))).toBeLessThanOrEqual(4);
    expect(hammingDistance(hash, await perceptualHash(await sharp(original).flop().png().toBuffer()))).toBeGreaterThan(16);
  });
});
