import { readFileSync, writeFileSync } from "node:fs";
import { Bot, Context } from "grammy";
import type { Update } from "grammy/types";
import pg from "pg";
import { startApp } from "../../src/app.js";
import { telegramLimits } from "../../src/bot/api-transformers.js";
import type { BotContext } from "../../src/bot/context.js";
import { chatKey } from "../../src/bot/create-bot.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/server/metrics.js";
import { startPolling } from "../../src/server/polling.js";
import type { ChildMessage, HandledUpdate, MemoryReport, ParentMessage, StartRequest } from "./protocol.js";

/**
 * The bot under measurement, in a process of its own so its memory and CPU are its own: Svidok as startApp runs it
 * (long polling, PostgreSQL), or the baseline, a bare grammY bot on the same poller that answers every update with
 * one sendMessage. Every SQL statement is counted; the parent divides a run's count by its updates. Charging each
 * statement to its update would take AsyncLocalStorage, whose promise hooks slow every await in the process and so
 * the figures this process is here to give.
 */

const send = (message: ChildMessage) => process.send!(message);

let statements = 0;
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
};

let finished: HandledUpdate[] = [];
const flushFinished = () => {
  if (finished.length === 0) return;
  send({ type: "handled", updates: finished });
  finished = [];
};
setInterval(flushFinished, 100).unref();

type HandleUpdate = (update: Update, ...rest: never[]) => Promise<void>;

/** Times every handleUpdate. */
function measure(bot: { handleUpdate: HandleUpdate }): void {
  const original = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, ...rest) => {
    const startedAt = Date.now();
    try {
      await original(update, ...rest);
    } finally {
      finished.push({ updateId: update.update_id, startedAt, endedAt: Date.now() });
    }
  };
}

const liftedLimits: typeof telegramLimits = {
  global: {},
  group: { maxConcurrent: 1 },
  out: { maxConcurrent: 1 },
};

interface Running {
  stop(): Promise<void>;
  idle(): Promise<void>;
}

async function startSvidok(request: StartRequest): Promise<Running> {
  const config = parseConfig(request.settings);
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger, apiLimits: request.limits === "lifted" ? liftedLimits : telegramLimits });
  measure(app.bot as unknown as { handleUpdate: HandleUpdate });
  return { stop: () => app.stop(), idle: () => app.bot.moderation.idle() };
}

async function startBaseline(request: StartRequest): Promise<Running> {
  const config = parseConfig(request.settings);
  const logger = createLogger(config.logLevel);
  const bot = new Bot(config.botToken, { client: { ...(config.botApiRoot ? { apiRoot: config.botApiRoot } : {}) } });
  bot.use(async (ctx) => {
    if (ctx.chat) await ctx.api.sendMessage(ctx.chat.id, "Received.");
  });
  await bot.init();
  await bot.api.deleteWebhook();
  measure(bot as unknown as { handleUpdate: HandleUpdate });
  const poller = startPolling(
    bot as unknown as Bot<BotContext>,
    {
      async attempt(update) {
        await bot.handleUpdate(update);
        return "done";
      },
    },
    logger,
    createMetrics(),
    {
      allowedUpdates: ["message", "edited_message", "callback_query"],
      orderKey: (update) => chatKey(new Context(update, bot.api, bot.botInfo)) ?? `update:${update.update_id}`,
    },
  );
  return { stop: () => poller.stop(), idle: async () => undefined };
}

/** VmHWM can be reset on Linux by writing 5 to clear_refs; elsewhere the peak is the whole process's. */
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: the operating system's own peak since start.
  }
  return process.resourceUsage().maxRSS * 1024;
}

let peakResettable = false;
const sampled = { heapTotal: 0, external: 0 };
setInterval(() => {
  const usage = process.memoryUsage();
  sampled.heapTotal = Math.max(sampled.heapTotal, usage.heapTotal);
  sampled.external = Math.max(sampled.external, usage.external);
}, 100).unref();

function memory(): MemoryReport {
  const cpu = process.cpuUsage();
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
    peakRssBytes: peakRssBytes(),
    peakResettable,
    peakHeapTotalBytes: sampled.heapTotal,
    peakExternalBytes: sampled.external,
    statements,
    cpuMicros: cpu.user + cpu.system,
  };
}

let running: Running | undefined;
let stopping = false;

// A benchmark that dies (killed, crashed) must not leave its bot polling in the background.
process.on("disconnect", () => {
  if (!stopping) process.exit(1);
});

process.on("message", (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case "start":
        try {
          running = message.kind === "svidok" ? await startSvidok(message) : await startBaseline(message);
          send({ type: "ready" });
        } catch (error) {
          send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
          process.exit(1);
        }
        return;
      case "reset-peak":
        peakResettable = resetPeak();
        sampled.heapTotal = 0;
        sampled.external = 0;
        send({ type: "reply", id: message.id });
        return;
      case "memory":
        send({ type: "reply", id: message.id, memory: memory() });
        return;
      case "idle":
        await running?.idle();
        flushFinished();
        send({ type: "reply", id: message.id });
        return;
      case "stop":
        stopping = true;
        await running?.stop();
        flushFinished();
        send({ type: "reply", id: message.id });
        // Exiting normally lets --cpu-prof write its profile.
        process.disconnect();
        return;
    }
  })();
});
