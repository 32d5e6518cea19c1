import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createJobRunner } from "../../src/jobs/job-runner.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger("silent");
describe("housekeeping job runner", () => {
  it("runs a job again and again, never two runs of it at once, and keeps going after a failure", async () => {
    const runner = createJobRunner({ logger, firstRunDelayMs: 5 });
    let running = 0;
    let overlapped = false;
    let runs = 0;
    runner.register({
      name: "slow",
      intervalMs: 10,
      async run() {
        running++;
        overlapped ||= running > 1;
        runs++;
        await sleep(30);
        running--;
        if (runs === 2) throw new Error("a failed run");
        return { runs };
      },
    });
    await sleep(300);
    await runner.stop();
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(overlapped).toBe(false);
  });

  it("aborts the run under way on stop, waits for it, and starts no other", async () => {
    const runner = createJobRunner({ logger, firstRunDelayMs: 0 });
    let aborted = false;
    let runs = 0;
    runner.register({
      name: "long",
      intervalMs: 10,
      run: (signal) =>
        new Promise<void>((resolve) => {
          runs++;
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    });
    await sleep(50);
    await runner.stop();
    expect(aborted).toBe(true);
    await sleep(50);
    expect(runs).toBe(1);
  });
});
