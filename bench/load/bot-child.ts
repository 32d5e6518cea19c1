import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type {
  BotKind,
  ChildMessage,
  HandledUpdate,
  MemoryReport,
  OutgoingLimits,
  ParentMessage,
} from "./protocol.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const buildDir = path.join(repoRoot, "bench/out/load-build");

/**
 * Compiles the bot and bot-process.ts as `npm run build` compiles the bot for the Docker image (incrementally, into
 * bench/out, which git ignores), Fluent files beside them. Type errors do not stop it: tsc still writes the
 * JavaScript, and `npm run typecheck` is where they are reported.
 */
export function buildBot(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  spawnSync(process.execPath, [tsc, "-p", path.join(here, "tsconfig.json")], { cwd: repoRoot, stdio: "ignore" });
  const entry = path.join(buildDir, "bench/load/bot-process.js");
  if (!existsSync(entry)) throw new Error(`compiling the bot did not produce ${entry}: run npx tsc -p bench/load/tsconfig.json`);
  cpSync(path.join(repoRoot, "src/locales"), path.join(buildDir, "src/locales"), { recursive: true });
}

export interface BotChildOptions {
  kind: BotKind;
  settings: Record<string, string>;
  limits: OutgoingLimits;
  /**
   * `compiled`: the JavaScript `buildBot` made, run by node as the Docker image runs the bot; `tsx`: the TypeScript
   * through tsx, as `npm start` runs it (tsx's compiler and loader thread add their own memory).
   */
  runtime: "compiled" | "tsx";
  /** Write a V8 CPU profile of the bot process into this folder when it stops. */
  cpuProfileDir?: string;
  /** Called for every update the bot finished (each attempt). */
  onHandled?: (update: HandledUpdate) => void;
}

/** The bot process seen from the benchmark: started, asked for its memory, stopped. */
export class BotChild {
  /** The last attempt at each update, by update_id. */
  readonly handled = new Map<number, HandledUpdate>();
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (memory: MemoryReport | undefined) => void>();
  private nextRequestId = 1;
  private logTail: string[] = [];
  private partialLine = "";
  /** Log lines at warn level or above, by message. */
  readonly warnings = new Map<string, number>();
  private readonly exited: Promise<number | null>;
  private hasExited = false;

  private constructor(private readonly options: BotChildOptions) {
    const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const compiled = options.runtime === "compiled";
    const tsx = compiled ? [] : ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];
    this.child = fork(compiled ? path.join(buildDir, "bench/load/bot-process.js") : path.join(here, "bot-process.ts"), [], {
      // The heap limit the Dockerfile's CMD and `npm start` give the bot.
      execArgv: [...tsx, "--expose-gc", "--max-old-space-size=192", ...profile],
      // As the bot is deployed (npm start, the Docker image).
      env: { ...process.env, MALLOC_ARENA_MAX: "2" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const collect = (chunk: string) => {
      const lines = (this.partialLine + chunk).split("\n");
      this.partialLine = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        const level = /"level":(\d+)/.exec(line);
        if (!level || Number(level[1]) >= 40) {
          const message = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line.slice(0, 80);
          const cause = /"err":\{[^}]*?"message":"((?:[^"\\]|\\.){0,80})/.exec(line)?.[1];
          const key = cause ? `${message}: ${cause}` : message;
          this.warnings.set(key, (this.warnings.get(key) ?? 0) + 1);
        }
        this.logTail.push(line);
        if (this.logTail.length > 40) this.logTail.shift();
      }
    };
    this.child.stdout!.setEncoding("utf8").on("data", collect);
    this.child.stderr!.setEncoding("utf8").on("data", collect);
    this.child.on("message", (message: ChildMessage) => this.receive(message));
    this.exited = new Promise((resolve) =>
      this.child.once("exit", (code) => {
        this.hasExited = true;
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: BotChildOptions): Promise<BotChild> {
    const bot = new BotChild(options);
    const ready = new Promise<void>((resolve, reject) => {
      bot.onReady = resolve;
      bot.onFailed = (message) => reject(new Error(`the ${options.kind} bot did not start:\n${message}\n${bot.describeLog()}`));
      void bot.exited.then((code) => reject(new Error(`the ${options.kind} bot exited (${code}) during start-up\n${bot.describeLog()}`)));
    });
    bot.post({ type: "start", kind: options.kind, settings: options.settings, limits: options.limits });
    await ready;
    return bot;
  }

  private onReady: () => void = () => undefined;
  private onFailed: (message: string) => void = () => undefined;

  private receive(message: ChildMessage): void {
    switch (message.type) {
      case "ready":
        this.onReady();
        return;
      case "failed":
        this.onFailed(message.message);
        return;
      case "handled":
        for (const update of message.updates) {
          this.handled.set(update.updateId, update);
          this.options.onHandled?.(update);
        }
        return;
      case "reply": {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message.memory);
        return;
      }
    }
  }

  private post(message: ParentMessage): void {
    this.child.send(message);
  }

  private async request(type: "reset-peak" | "memory" | "idle" | "stop", timeoutMs = 60_000): Promise<MemoryReport | undefined> {
    const id = this.nextRequestId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<MemoryReport | undefined>((resolve, reject) => {
        this.pending.set(id, resolve);
        timer = setTimeout(() => reject(new Error(`the bot did not answer "${type}" within ${timeoutMs} ms\n${this.describeLog()}`)), timeoutMs);
        this.post({ type, id });
      });
    } finally {
      clearTimeout(timer);
    }
  }

  resetPeak(): Promise<unknown> {
    return this.request("reset-peak");
  }

  async memory(): Promise<MemoryReport> {
    return (await this.request("memory"))!;
  }

  idle(): Promise<unknown> {
    return this.request("idle");
  }

  /** Stops the bot as SIGTERM would (updates in flight finish), then waits for the process to end. */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    await this.request("stop");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** For failures: the end of the bot's log. */
  describeLog(): string {
    return this.logTail.length ? `last lines of the bot's log:\n${this.logTail.join("\n")}` : "the bot logged nothing";
  }
}
