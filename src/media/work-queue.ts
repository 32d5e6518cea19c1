export interface WorkQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks waiting for a place. */
  readonly pending: number;
}

/** At most `concurrency` tasks at once; the rest wait in arrival order. */
export function createWorkQueue(concurrency: number): WorkQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Expected a positive integer for concurrency but received ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    get pending() {
      return waiting.length;
    },
    async run(task) {
      if (running < concurrency) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        // The place goes straight to the next in line, so a task arriving meanwhile cannot take it first.
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
