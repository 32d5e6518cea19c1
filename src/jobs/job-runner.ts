import type { Logger } from "../logger.js";

/**
 * A periodic piece of housekeeping. Several processes may run the same job at the same moment, so a job must
 * be safe that way (skip what another process holds, delete in statements that cannot conflict).
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** Returns what it did, for the log (e.g. `{ drafts: 3 }`); `signal` aborts when the runner stops. */
  run(signal: AbortSignal): Promise<Record<string, number> | void>;
}

export interface JobRunner {
  register(job: Job): void;
  /** Stops scheduling, aborts the runs under way and waits for them. */
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  logger: Logger;
  /** Delay of the first run after start-up or registration, so start-up is not slowed; default 10 s. */
  firstRunDelayMs?: number;
}

/**
 * Runs each job every `intervalMs`, never two runs of one job at once in this process. Each delay is spread by
 * up to a tenth of the interval, so processes started together do not all query at the same instant.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { logger } = options;
  const firstRunDelayMs = options.firstRunDelayMs ?? 10_000;
  const abort = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const schedule = (job: Job, delayMs: number) => {
    if (stopped) return;
    const jittered = delayMs + Math.random() * job.intervalMs * 0.1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = runOnce(job).finally(() => {
        running.delete(run);
        schedule(job, job.intervalMs);
      });
      running.add(run);
    }, jittered);
    timer.unref();
    timers.add(timer);
  };

  async function runOnce(job: Job): Promise<void> {
    const started = Date.now();
    try {
      const result = await job.run(abort.signal);
      logger.info({ job: job.name, ms: Date.now() - started, ...(result ?? {}) }, "job done");
    } catch (error) {
      if (abort.signal.aborted) return;
      logger.error({ err: error, job: job.name }, "job failed; it runs again at its next time");
    }
  }

  return {
    register(job) {
      schedule(job, firstRunDelayMs);
    },
    async stop() {
      stopped = true;
      abort.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
