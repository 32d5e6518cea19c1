import decodeHeic from "heic-decode";
import { ImageRejectedError } from "./image-rejected-error.js";

export interface RawImage {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel */
  data: Uint8ClampedArray;
}

/**
 * iPhone photos are HEIC with HEVC inside, which sharp's prebuilt libvips cannot decode. heic-decode runs
 * libheif (with libde265) compiled to WebAssembly: no native build, the same on every machine. libheif
 * applies the container's rotation and mirroring (irot/imir) itself, so the result is upright and its EXIF
 * orientation must not be applied a second time.
 */
export async function decodeHeicFirstImage(input: Buffer, maxPixels: number): Promise<RawImage> {
  let images: Awaited<ReturnType<typeof decodeHeic.all>>;
  try {
    images = await decodeHeic.all({ buffer: input });
  } catch (error) {
    throw new ImageRejectedError("corrupt", (error as Error).message);
  }
  try {
    const first = images[0];
    if (!first) throw new ImageRejectedError("corrupt", "no image in the HEIF container");
    if (first.width * first.height > maxPixels) throw new ImageRejectedError("too_many_pixels");
    if (first.width < 1 || first.height < 1) throw new ImageRejectedError("corrupt", "empty image");
    try {
      const decoded = await first.decode();
      return { width: decoded.width, height: decoded.height, data: decoded.data };
    } catch (error) {
      throw new ImageRejectedError("corrupt", (error as Error).message);
    }
  } finally {
    images.dispose?.();
  }
}
