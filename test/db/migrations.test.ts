import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.js";

describe("migrations folder", () => {
  it("lists every migration file, in order", async () => {
    const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");
    const files = (await readdir(folder))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });
});
