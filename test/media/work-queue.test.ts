import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createSanitizer } from "../../src/media/sanitize.js";
import { createWorkQueue } from "../../src/media/work-queue.js";
import { corpusDir } from "./corpus.js";

/** A task the test finishes by hand, so the queue's choices can be watched one step at a time. */
function controllable() {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createWorkQueue", () => {
  it("runs at most `concurrency` tasks at once and starts the others in arrival order", async () => {
    const queue = createWorkQueue(2);
    const tasks = Array.from({ length: 5 }, () => controllable());
    const started: number[] = [];
    const results = tasks.map((task, i) =>
      queue.run(() => {
        started.push(i);
        return task.promise;
      }),
    );
    const outcomes = results.map((result) => result.then((value) => value, (error: Error) => error.message));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.pending).toBe(3);
    tasks[1]!.finish("b");
    await tick();
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.fail(new Error("broken photo"));
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3]) tasks[i]!.finish(String(i));
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    tasks[4]!.finish("e");
    expect(await Promise.all(outcomes)).toEqual(["broken photo", "b", "2", "3", "e"]);
    expect(queue.pending).toBe(0);
  });

  it("hands a finished task's place to the next in line, never to a task arriving meanwhile", async () => {
    const queue = createWorkQueue(1);
    const first = controllable();
    let running = 0;
    let busiest = 0;
    const track = (name: string) => async () => {
      busiest = Math.max(busiest, ++running);
      await tick();
      running--;
      return name;
    };
    const order: string[] = [];
    const enqueue = (name: string) => queue.run(track(name)).then(() => order.push(name));
    const done = [
      queue.run(async () => first.promise).then(() => order.push("first")),
      enqueue("waiting"),
      // Newcomers arriving a few promise steps after the first task finishes: one of them lands between
      // the queue seeing it finish and the waiting task resuming.
      ...[1, 2, 3, 4, 5, 6].map((steps) => {
        let arrival: Promise<unknown> = first.promise;
        for (let i = 0; i < steps; i++) arrival = arrival.then((x) => x);
        return arrival.then(() => enqueue(`newcomer ${steps}`));
      }),
    ];
    first.finish("first");
    await Promise.all(done);
    expect(busiest).toBe(1);
    expect(order.slice(0, 2)).toEqual(["first", "waiting"]);
  });

  it("frees the place of a task that throws before returning a promise", async () => {
    const queue = createWorkQueue(1);
    await expect(queue.run(() => { throw new Error("synchronous"); })).rejects.toThrow("synchronous");
    expect(await queue.run(async () => "next")).toBe("next");
  });

  it("refuses a concurrency that is not a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createWorkQueue(bad)).toThrow(RangeError);
  });
});

describe("createSanitizer", () => {
  it("decodes no more photos at once than its concurrency, two by default, when many arrive together", async () => {
    const photo = readFileSync(path.join(corpusDir, "jpg_mobile_jolla.jpg"));
    // sharp's `process` counts pixel pipelines on the thread pool, which is where a photo's memory goes. Its
    // `queue` is no measure here: a request is counted there before the previous one has been counted out,
    // so the sum overshoots by one now and then. Six at once, allowed by the queue, shows the measure can
    // see more than two.
    const cases = [
      [createSanitizer(), (busiest: number) => expect(busiest).toBe(2)],
      [createSanitizer({ concurrency: 1 }), (busiest: number) => expect(busiest).toBe(1)],
      [createSanitizer({ concurrency: 6 }), (busiest: number) => expect(busiest).toBeGreaterThan(2)],
    ] as const;
    for (const [sanitizer, check] of cases) {
      let busiest = 0;
      const sampler = setInterval(() => {
        busiest = Math.max(busiest, sharp.counters().process);
      }, 1);
      const results = await Promise.all(Array.from({ length: 6 }, () => sanitizer.sanitize(photo)));
      clearInterval(sampler);
      expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
      check(busiest);
    }
  }, 60_000);

  it("holds no more pictures from download to sanitized copy than `inHand`, twice its concurrency by default", async () => {
    const photo = readFileSync(path.join(corpusDir, "jpg_mobile_jolla.jpg"));
    for (const [sanitizer, limit] of [[createSanitizer({ concurrency: 1 }), 2], [createSanitizer({ inHand: 3 }), 3]] as const) {
      let inHand = 0;
      let most = 0;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          sanitizer.inHand(async () => {
            most = Math.max(most, ++inHand);
            // The download: bytes arriving while others are being decoded.
            await new Promise((resolve) => setTimeout(resolve, 10));
            const image = await sanitizer.sanitize(photo);
            inHand--;
            return image;
          }),
        ),
      );
      expect(results).toHaveLength(8);
      expect(most).toBe(limit);
    }
    expect(() => createSanitizer({ inHand: 0 })).toThrow(RangeError);
  }, 60_000);

  it("applies its limits to every photo and refuses bad settings when created", async () => {
    const photo = readFileSync(path.join(corpusDir, "jpg_gps_DSCN0010.jpg"));
    await expect(createSanitizer({ maxBytes: 1000 }).sanitize(photo)).rejects.toMatchObject({ reason: "too_large" });
    await expect(createSanitizer({ maxPixels: 1000 }).sanitize(photo)).rejects.toMatchObject({ reason: "too_many_pixels" });
    expect(() => createSanitizer({ maxPixels: -1 })).toThrow(RangeError);
    expect(() => createSanitizer({ concurrency: 0 })).toThrow(RangeError);
  });
});
