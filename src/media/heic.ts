import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { deflateSync } from "node:zlib";
import { ImageRejectedError } from "./image-rejected-error.js";

export interface RawImage {
  width: number;
  height: number;
  /** RGBA, 8 bits a channel, rows packed */
  data: Buffer;
}

/** Long enough for a 100-megapixel picture on a slow, busy machine; a file that takes longer is hostile. */
const DECODE_TIMEOUT_MS = 60_000;
/** The decoder's WebAssembly memory never shrinks while it lives: it is let go soon after the last HEIC. */
const IDLE_MS = 15_000;

// Plain CommonJS, evaluated as the worker's script without the parent's flags or loaders, so it runs the same
// under tsx, the test runner, the build and a parent started with --input-type=module.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const decodeHeic = require(workerData.decoderPath);
parentPort.on("message", async ({ input, maxPixels }) => {
  let images;
  try {
    images = await decodeHeic.all({ buffer: input });
    const primary = images[0];
    if (primary.width * primary.height > maxPixels) {
      parentPort.postMessage({ reason: "too_many_pixels" });
      return;
    }
    const image = await primary.decode();
    parentPort.postMessage({ width: image.width, height: image.height, data: image.data }, [image.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ reason: "corrupt", detail: String((error && error.message) || error) });
  } finally {
    if (images) images.dispose();
  }
});
`;

type Reply = { width: number; height: number; data: Uint8ClampedArray } | { reason: "too_many_pixels" | "corrupt"; detail?: string };

/**
 * iPhones send HEIC coded with HEVC, which sharp's prebuilt libvips cannot decode. heic-decode runs libheif
 * (with libde265) compiled to WebAssembly: no native build, the same on every machine. It runs in a worker
 * thread because a 12-megapixel decode takes a CPU-second that the bot's event loop must not wait through,
 * and a worker can be stopped when a hostile file will not finish. One decode at a time: the queue in front
 * already bounds photos in flight, and one WebAssembly heap bounds the memory HEIC can take.
 *
 * libheif applies the container's rotation and mirroring (irot, imir), as HEIF requires; the EXIF orientation
 * inside a HEIC only describes that and must not be applied a second time.
 */
class HeicDecoder {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly decoderPath = createRequire(import.meta.url).resolve("heic-decode");

  decode(input: Buffer, maxPixels: number): Promise<RawImage> {
    const result = this.tail.then(() => this.decodeNow(input, maxPixels));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private decodeNow(input: Buffer, maxPixels: number): Promise<RawImage> {
    clearTimeout(this.idleTimer);
    const worker = this.acquire();
    worker.ref();
    return new Promise<RawImage>((resolve, reject) => {
      const settle = (healthy: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onFailure);
        worker.off("exit", onFailure);
        if (!healthy) return this.release(worker);
        worker.unref();
        this.idleTimer = setTimeout(() => this.release(worker), IDLE_MS).unref();
      };
      const onMessage = (reply: Reply) => {
        settle(true);
        if ("reason" in reply) reject(new ImageRejectedError(reply.reason, reply.detail));
        else resolve({ width: reply.width, height: reply.height, data: Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength) });
      };
      const onFailure = (error?: unknown) => {
        settle(false);
        reject(new ImageRejectedError("corrupt", error instanceof Error ? error.message : "the HEIC decoder stopped"));
      };
      const timer = setTimeout(() => onFailure(new Error("decoding took too long")), DECODE_TIMEOUT_MS);
      worker.on("message", onMessage);
      worker.once("error", onFailure);
      worker.once("exit", onFailure);
      worker.postMessage({ input, maxPixels });
    });
  }

  private acquire(): Worker {
    if (!this.worker) {
      // The decoder writes its complaints about broken files to stdout; they are drained, not logged.
      this.worker = new Worker(workerSource, {
        eval: true,
        execArgv: [],
        workerData: { decoderPath: this.decoderPath },
        stdout: true,
        stderr: true,
      });
      this.worker.stdout.resume();
      this.worker.stderr.resume();
      const started = this.worker;
      started.once("exit", () => {
        if (this.worker === started) this.worker = undefined;
      });
    }
    return this.worker;
  }

  private release(worker: Worker) {
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
  }
}

const decoder = new HeicDecoder();

export function decodeHeic(input: Buffer, maxPixels: number): Promise<RawImage> {
  return decoder.decode(input, maxPixels);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * sharp cannot be told which colour profile raw pixels are in, and iPhone HEICs are in Display P3. The
 * decoded pixels are therefore wrapped as a PNG carrying the HEIC's own profile (an iCCP chunk right after
 * the header), which sharp then converts to sRGB like any tagged picture.
 */
export function tagPngWithProfile(png: Buffer, icc: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from("icc\0\0", "latin1"), deflateSync(icc)]);
  const typeAndBody = Buffer.concat([Buffer.from("iCCP", "latin1"), body]);
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  typeAndBody.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndBody), 8 + body.length);
  // Signature (8 bytes) and IHDR (25 bytes) come first in every PNG.
  const afterHeader = 8 + 25;
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}
