export interface WorkQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly pending: number;
}

/** At most `concurrency` tasks at once; the rest wait in arrival order. */
export function createWorkQueue(concurrency: number): WorkQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`Expected a positive integer for concurrency but received ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    get pending() {
      return waiting.length;
    },
    async run(task) {
      if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
