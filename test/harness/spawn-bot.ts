import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface SpawnBotOptions {
  /** The bot's settings, as in .env. BOT_API_ROOT must point at a loopback address. */
  env: Record<string, string | undefined>;
  /** Default: the repository root. */
  cwd?: string;
  /** Script to run, relative to the repository root. Default: src/main.ts. */
  entry?: string;
  /** Copy the child's output to this process's stderr as it arrives (for debugging a test). */
  echo?: boolean;
}

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Variables a child process needs to run at all; everything else comes from the test. */
const inheritedVariables = ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "TZ", "LANG", "LC_ALL", "SYSTEMROOT"];

const running = new Set<ChildProcess>();
// A test that fails half-way must not leave a bot polling in the background.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * The real bot as a separate process (`node --import tsx src/main.ts`), for restarts, SIGKILL and SIGTERM.
 * It sees only the settings the test gives: a developer's `.env` in the repository is neutralised, so a
 * test can never reach a real database or Telegram through it.
 */
export class SpawnedBot {
  readonly pid: number;
  private readonly child: ChildProcess;
  private stdoutText = "";
  private stderrText = "";
  private exit: BotExit | undefined;
  private readonly exited: Promise<BotExit>;

  constructor(options: SpawnBotOptions) {
    assertLoopback(options.env.BOT_API_ROOT);
    const env: Record<string, string> = {};
    for (const name of inheritedVariables) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    // dotenv never overrides a variable that is set, even to "", and the configuration reads "" as unset.
    for (const name of dotenvNames(options.cwd ?? repoRoot)) env[name] = "";
    for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;

    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const entry = path.resolve(repoRoot, options.entry ?? "src/main.ts");
    this.child = spawn(process.execPath, ["--import", tsx, entry], {
      cwd: options.cwd ?? repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${entry}`);
    this.pid = this.child.pid;
    running.add(this.child);
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdoutText += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderrText += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        running.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** How the process ended, once it has. */
  get exitStatus(): BotExit | undefined {
    return this.exit;
  }

  /** The JSON log lines written to stdout (pino), parsed; other lines are skipped. */
  logLines(): Record<string, unknown>[] {
    return this.stdoutText.split("\n").flatMap((line) => {
      if (!line.startsWith("{")) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    return this.exit === undefined && this.child.kill(signal);
  }

  /** Resolves with the exit code and signal; rejects (with the output's end) if it runs past the timeout. */
  async waitForExit(timeoutMs = 10_000): Promise<BotExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`bot process ${this.pid} still running after ${timeoutMs} ms\n${this.describeOutput()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when stdout or stderr matches; rejects on timeout or if the process ends first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdoutText.match(pattern) ?? this.stderrText.match(pattern);
      if (match) return match;
      if (this.exit) {
        throw new Error(`bot process ended (${JSON.stringify(this.exit)}) before printing ${pattern}\n${this.describeOutput()}`);
      }
      if (Date.now() > deadline) throw new Error(`bot process did not print ${pattern} within ${timeoutMs} ms\n${this.describeOutput()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** SIGTERM, then SIGKILL if it has not ended within the grace period: for clean-up after a test. */
  async stop(graceMs = 5_000): Promise<BotExit> {
    if (this.exit) return this.exit;
    this.kill("SIGTERM");
    try {
      return await this.waitForExit(graceMs);
    } catch {
      this.kill("SIGKILL");
      return this.exited;
    }
  }

  describeOutput(chars = 3_000): string {
    return `--- stdout (end) ---\n${this.stdoutText.slice(-chars)}\n--- stderr (end) ---\n${this.stderrText.slice(-chars)}`;
  }
}

export function spawnBot(options: SpawnBotOptions): SpawnedBot {
  return new SpawnedBot(options);
}

function assertLoopback(apiRoot: string | undefined): void {
  let host: string | undefined;
  try {
    host = apiRoot ? new URL(apiRoot).hostname : undefined;
  } catch {
    host = undefined;
  }
  if (!host || !["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`spawnBot needs BOT_API_ROOT on loopback (a FakeBotApi's apiRoot), got ${String(apiRoot)}`);
  }
}

function dotenvNames(cwd: string): string[] {
  const file = path.join(cwd, ".env");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}
