import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Where a writer puts its bytes: each write resolves once the destination can take more. */
export interface ChunkSink {
  write(chunk: string | Buffer): Promise<void>;
}

export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

/** Counts and hashes what passes through, so a file's SHA-256 is known the moment it is written. */
export class HashTap extends Transform {
  private readonly hash: Hash = createHash("sha256");
  private sha256: string | undefined;
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  /** Only once the stream has ended. */
  digest(): string {
    this.sha256 ??= this.hash.digest("hex");
    return this.sha256;
  }
}

/** A stream that failed or was closed takes nothing more: writing to it rejects instead of waiting for a drain. */
export async function writeChunk(stream: Writable, chunk: string | Buffer): Promise<void> {
  if (stream.write(chunk)) return;
  if (stream.destroyed) throw stream.errored ?? new Error("write to a closed stream");
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(stream.errored ?? new Error("stream closed before it could take more"));
    stream.once("drain", onDrain);
    stream.once("error", onError);
    stream.once("close", onClose);
  });
}

/**
 * A work file of an export, written with writeChunk. A file stream that fails (a full disk) or is destroyed while
 * a write is under way emits 'error' even when nobody is writing, and an 'error' nobody listens to ends the
 * process: here it is only recorded, and the next write or end reports it.
 */
export function createScratchFile(path: string): Writable {
  const stream = createWriteStream(path, { mode: 0o600 });
  stream.on("error", () => undefined);
  return stream;
}

/**
 * Text for one write, turned into bytes every few kilobytes. A page's text held as one growing string would live
 * through several young-generation collections and be promoted, so the old generation, and the process, would grow
 * with the size of the export until the next full collection; bytes live outside the JavaScript heap.
 */
export class TextBatch {
  private text = "";
  private readonly chunks: Buffer[] = [];

  add(text: string): void {
    this.text += text;
    if (this.text.length >= 8192) this.flushText();
  }

  private flushText(): void {
    if (this.text) this.chunks.push(Buffer.from(this.text, "utf8"));
    this.text = "";
  }

  /** Everything added so far, as UTF-8; the batch is empty afterwards. */
  take(): Buffer {
    this.flushText();
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return bytes;
  }
}

/** A file being written, hashed on the way to the disk. */
export class HashedFile implements ChunkSink {
  readonly tap = new HashTap();
  private readonly done: Promise<void>;

  constructor(readonly path: string) {
    this.done = pipeline(this.tap, createWriteStream(path, { mode: 0o600 }));
    // Observed here so a failure between writes is not unhandled; write() and close() report it.
    this.done.catch(() => undefined);
  }

  /** The stream to hand to a library that writes by itself (exceljs, yazl). */
  get stream(): Writable {
    return this.tap;
  }

  write(chunk: string | Buffer): Promise<void> {
    return writeChunk(this.tap, chunk);
  }

  /** Ends the file and resolves once every byte is on disk. */
  async close(): Promise<WrittenFile> {
    if (!this.tap.writableEnded) this.tap.end();
    await this.done;
    return this.written();
  }

  /** Resolves when the stream was ended by whoever wrote into it. */
  async finished(): Promise<WrittenFile> {
    await this.done;
    return this.written();
  }

  abort(): void {
    this.tap.destroy(new Error("export aborted"));
  }

  private written(): WrittenFile {
    return { path: this.path, size: this.tap.size, sha256: this.tap.digest() };
  }
}
