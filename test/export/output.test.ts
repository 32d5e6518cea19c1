import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchFile, HashedFile, writeChunk } from "../../src/export/output.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "svidok-output-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// events.once would reject on the 'error' these streams emit: only the closing is awaited here.
const closed = (stream: Writable) => new Promise<void>((resolve) => stream.once("close", () => resolve()));

describe("export work files", () => {
  it("a work file destroyed while its writes are under way (an export stopped halfway) raises no error outside", async () => {
    const uncaught: unknown[] = [];
    const listener = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", listener);
    try {
      const file = createScratchFile(path.join(dir, "photos.jsonl"));
      // Writes queued before the file is open and more after it are written together; destroying the stream
      // while that write is in the kernel is what makes a file stream emit ERR_STREAM_DESTROYED by itself.
      void writeChunk(file, "first\n").catch(() => undefined);
      void writeChunk(file, "second\n").catch(() => undefined);
      await once(file, "open");
      void writeChunk(file, "third\n").catch(() => undefined);
      void writeChunk(file, "fourth\n").catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      file.destroy();
      await closed(file);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
      await expect(writeChunk(file, "after\n")).rejects.toThrow();
    } finally {
      process.off("uncaughtException", listener);
    }
  });

  it("a write to a work file that could not be opened rejects at once instead of waiting for room", async () => {
    const file = createScratchFile(path.join(dir, "no such folder", "spool.jsonl"));
    await closed(file);
    await expect(writeChunk(file, "line\n")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())))).rejects.toThrow();
  });

  it("a hashed file whose disk write failed rejects the writes that follow", async () => {
    const file = new HashedFile(path.join(dir, "missing", "cases.csv"));
    await expect(file.finished()).rejects.toMatchObject({ code: "ENOENT" });
    await expect(file.write("ref,status\n")).rejects.toThrow();
  });
});
