/** Messages between the benchmark (parent) and the bot process it measures (bot-process.ts), over Node's IPC channel. */

export type BotKind = "svidok" | "baseline";

/** `telegram`: the outgoing limits the bot runs with in production; `lifted`: no global or per-chat reservoir. */
export type OutgoingLimits = "telegram" | "lifted";

export interface StartRequest {
  type: "start";
  kind: BotKind;
  /** Settings as in .env; the bot process reads nothing else (no .env file). */
  settings: Record<string, string>;
  limits: OutgoingLimits;
}

/** One attempt at handling an update, timed in the bot process (Date.now(): the same clock as the fake's). */
export interface HandledUpdate {
  updateId: number;
  startedAt: number;
  endedAt: number;
}

export interface MemoryReport {
  /** After two full garbage collections. */
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** Highest resident set since the last `reset-peak` (VmHWM), or since start where it cannot be reset. */
  peakRssBytes: number;
  peakResettable: boolean;
  /** Highest V8 heap (reserved) and memory outside it (Buffers, native), sampled every 100 ms since `reset-peak`. */
  peakHeapTotalBytes: number;
  peakExternalBytes: number;
  /** SQL statements sent to PostgreSQL since the process started, on every connection (the chat lock's too). */
  statements: number;
  /** CPU time the process used since it started (user and system), in microseconds. */
  cpuMicros: number;
}

export type ParentMessage =
  | StartRequest
  | { type: "reset-peak"; id: number }
  | { type: "memory"; id: number }
  /** Resolves once moderators' cards and other work started by updates have finished. */
  | { type: "idle"; id: number }
  | { type: "stop"; id: number };

export type ChildMessage =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "handled"; updates: HandledUpdate[] }
  | { type: "reply"; id: number; memory?: MemoryReport };
