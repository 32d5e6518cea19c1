import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Update } from "grammy/types";
import pg from "pg";
import { openPostgres } from "../../src/db/connect.js";
import type { RecordedCall } from "../../test/harness/fake-bot-api.js";
import { TEST_BOT_TOKEN } from "../../test/harness/fake-bot-api.js";
import { TelegramUser } from "../../test/harness/telegram-user.js";
import type { ReporterOutcome } from "../../test/reliability/helpers/scripted-reporter.js";
import { BotChild, buildBot } from "./bot-child.js";
import { checkCases, type FiledReport } from "./checks.js";
import { sharedThumbnails, telegramSizedJpeg, telegramSizedJpegs } from "./photos.js";
import type { MemoryReport, OutgoingLimits } from "./protocol.js";
import { loadReporter, reportScript } from "./reporters.js";
import { type MeasuredUpdate, measureAnswers, percentile, RecordingFakeBotApi } from "./traffic.js";

/**
 * Many people filing complete reports at once against the real bot (a process of its own, long polling a fake Bot
 * API on loopback, on a fresh PostgreSQL database), and a bare grammY bot on the same poller over the same fake as
 * the baseline. Prints throughput, answer latency, SQL statements per update, the bot's memory, and whether each
 * target is met; exits non-zero if any report did not end as exactly one complete case.
 *
 *   npx tsx bench/load/run.ts [--reporters 200] [--runs 3] [--pauses] [--telegram-limits] [--tsx] [--no-moderators]
 *     [--cpu-prof DIR]
 */
const { values: options } = parseArgs({
  options: {
    reporters: { type: "string", default: "200" },
    runs: { type: "string", default: "3" },
    pauses: { type: "boolean", default: false },
    "telegram-limits": { type: "boolean", default: false },
    "baseline-messages": { type: "string", default: "20" },
    tsx: { type: "boolean", default: false },
    "no-moderators": { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
    "database-url": { type: "string" },
  },
});
const REPORTERS = positive("reporters");
const RUNS = positive("runs");
const BASELINE_MESSAGES = positive("baseline-messages");
const PHOTOS_EACH = 2;
const TARGET_REPORTERS = 200;
const limits: OutgoingLimits = options["telegram-limits"] ? "telegram" : "lifted";
const serverUrl =
  options["database-url"] ?? process.env.LOAD_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SEED = 20_220_224;
const runtime = options.tsx ? "tsx" : "compiled";

function positive(name: "reporters" | "runs" | "baseline-messages"): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a whole number above 0, got ${options[name]}\n`);
    process.exit(2);
  }
  return value;
}

const log = (line: string) => process.stderr.write(`[load] ${line}\n`);

interface Figures {
  updates: number;
  seconds: number;
  updatesPerSecond: number;
  /** Answer latency of text messages and button presses, and of photos, in ms. */
  textAnswers: number[];
  photoAnswers: number[];
  /** Text and buttons: time before the bot took the update, and from taking it to having finished with it. */
  textWaits: number[];
  textHandling: number[];
  /** SQL statements the bot sent over the run (cards posted after a submit included), per update. */
  statementsPerUpdate: number;
  unhandled: number;
  unanswered: number;
  /** getUpdates calls, and the updates they handed out (the poller asks again for those not finished yet). */
  polls: number;
  updatesHandedOut: number;
  /** The bot process's CPU time per update, in ms. */
  cpuPerUpdateMs: number;
}

interface ReportRun {
  label: string;
  figures: Figures;
  casesPerMinute: number;
  memory: MemoryReport;
  problems: string[];
  resends: number;
  apologies: number;
  outageNotices: number;
}

function summarize(
  api: RecordingFakeBotApi,
  bot: BotChild,
  updates: Update[],
  calls: RecordedCall[],
  startedAt: number,
  cpu: { before: MemoryReport; after: MemoryReport },
): Figures {
  const { measured, unhandled, unanswered } = measureAnswers(api, updates, bot.handled, calls);
  const polls = calls.filter((c) => c.method === "getUpdates");
  const endedAt = Math.max(...updates.map((u) => bot.handled.get(u.update_id)?.endedAt ?? 0));
  const seconds = (endedAt - startedAt) / 1000;
  const of = (kinds: MeasuredUpdate["kind"][], pick: (m: MeasuredUpdate) => number | undefined) =>
    measured.filter((m) => kinds.includes(m.kind)).flatMap((m) => {
      const value = pick(m);
      return value === undefined ? [] : [value];
    });
  return {
    updates: updates.length,
    seconds,
    updatesPerSecond: updates.length / seconds,
    textAnswers: of(["text", "button"], (m) => m.answerMs),
    photoAnswers: of(["photo"], (m) => m.answerMs),
    textWaits: of(["text", "button"], (m) => m.waitMs),
    textHandling: of(["text", "button"], (m) => m.handlingMs),
    statementsPerUpdate: (cpu.after.statements - cpu.before.statements) / updates.length,
    unhandled,
    unanswered,
    polls: polls.length,
    updatesHandedOut: polls.reduce((sum, c) => sum + (Array.isArray(c.result) ? c.result.length : 0), 0),
    cpuPerUpdateMs: (cpu.after.cpuMicros - cpu.before.cpuMicros) / 1000 / updates.length,
  };
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `svidok_load_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function baselineRun(api: RecordingFakeBotApi, bot: BotChild): Promise<Figures> {
  const users = Array.from({ length: REPORTERS }, () => new TelegramUser(api, { languageCode: "en" }));
  const before = await bot.memory();
  const firstUpdate = api.sent.length;
  const firstCall = api.calls.length;
  const startedAt = Date.now();
  await Promise.all(
    users.map(async (user, n) => {
      for (let k = 0; k < BASELINE_MESSAGES; k++) {
        await user.says(`Message ${k + 1} from person ${n + 1}`);
        await user.nextReply({ timeoutMs: 60_000 });
      }
    }),
  );
  await api.allSettled(60_000);
  const after = await bot.memory();
  return summarize(api, bot, api.sent.slice(firstUpdate), api.calls.slice(firstCall), startedAt, { before, after });
}

async function reportRun(
  api: RecordingFakeBotApi,
  bot: BotChild,
  db: ReturnType<typeof openPostgres>["db"],
  label: string,
  runIndex: number,
  photosEach: number,
  earlierRefs: Set<string>,
  paced: boolean,
): Promise<ReportRun> {
  const photos = await telegramSizedJpegs(REPORTERS * photosEach, SEED + runIndex * 10_000);
  const thumbnails = await sharedThumbnails(api, photos[0] ?? (await telegramSizedJpeg(SEED)));
  const scripts = Array.from({ length: REPORTERS }, (_, n) =>
    reportScript(n, String(runIndex), photos.slice(n * photosEach, (n + 1) * photosEach)),
  );
  const reporters = scripts.map((script, n) =>
    loadReporter(api, script, thumbnails, paced ? { seed: SEED + runIndex * 10_000 + n } : undefined),
  );
  const before = await bot.memory();
  await bot.resetPeak();
  const firstUpdate = api.sent.length;
  const firstCall = api.calls.length;
  const startedAt = Date.now();
  log(`${label}: ${REPORTERS} reporters, ${photosEach} photos each`);
  const outcomes = await Promise.allSettled(
    reporters.map(async (reporter, n) => {
      // With pauses people arrive over a minute, as they would; without, all at once.
      if (paced) await new Promise((resolve) => setTimeout(resolve, (n / REPORTERS) * 60_000));
      return reporter.run({ resendAfterMs: 30_000, timeoutMs: 240_000 });
    }),
  );
  await api.allSettled(60_000);
  await bot.idle();
  const memory = await bot.memory();
  const figures = summarize(api, bot, api.sent.slice(firstUpdate), api.calls.slice(firstCall), startedAt, { before, after: memory });
  const reports: FiledReport[] = outcomes.map((outcome, n) =>
    outcome.status === "fulfilled"
      ? { script: scripts[n]!, ref: outcome.value.ref }
      : { script: scripts[n]!, error: String((outcome.reason as Error).message).split("\n")[0] },
  );
  const problems = await checkCases(db, reports, earlierRefs);
  for (const report of reports) if (report.ref) earlierRefs.add(report.ref);
  const done = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : [])) as ReporterOutcome[];
  log(`${label}: ${figures.updates} updates in ${figures.seconds.toFixed(1)} s, ${problems.length} problems`);
  return {
    label,
    figures,
    casesPerMinute: (reports.filter((r) => r.ref).length / figures.seconds) * 60,
    memory,
    problems,
    resends: done.reduce((sum, o) => sum + o.resends, 0),
    apologies: done.reduce((sum, o) => sum + o.apologies, 0),
    outageNotices: done.reduce((sum, o) => sum + o.outageNotices, 0),
  };
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(1) : value.toFixed(0));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const verdict = (ok: boolean) => (ok ? "met" : "**NOT met**");
const quantiles = (values: number[], ps = [50, 95, 99]) => ps.map((p) => ms(percentile(values, p))).join(" / ");

async function main(): Promise<number> {
  if (runtime === "compiled") {
    log("compiling the bot as the Docker image does");
    buildBot();
  }
  const loadBefore = os.loadavg()[0]!;
  const api = new RecordingFakeBotApi();
  await api.listen();
  const moderators = api.createGroup("Moderators");
  const database = await createDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "svidok-load-"));
  const handle = openPostgres({ connectionString: database.url });
  const children: BotChild[] = [];
  const started = Date.now();
  try {
    const common = { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: api.apiRoot, LOG_LEVEL: "warn" };
    const onHandled = (update: { updateId: number }) => api.markHandled(update.updateId);

    log(`baseline: ${REPORTERS} people, ${BASELINE_MESSAGES} messages each`);
    const bare = await BotChild.start({ kind: "baseline", settings: common, limits, runtime, onHandled });
    children.push(bare);
    const baseline = await baselineRun(api, bare);
    await bare.stop();

    const svidok = await BotChild.start({
      kind: "svidok",
      settings: {
        ...common,
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        PSEUDONYM_KEY: randomBytes(32).toString("hex"),
        DATA_KEY: randomBytes(32).toString("hex"),
        ...(options["no-moderators"] ? {} : { MODERATION_CHAT_ID: String(moderators.id) }),
      },
      limits,
      runtime,
      onHandled,
      ...(options["cpu-prof"] ? { cpuProfileDir: path.resolve(options["cpu-prof"]) } : {}),
    });
    children.push(svidok);
    const refs = new Set<string>();
    const textRun = await reportRun(api, svidok, handle.db, "reports without photos", 0, 0, refs, options.pauses);
    const runs: ReportRun[] = [];
    for (let i = 1; i <= RUNS; i++) runs.push(await reportRun(api, svidok, handle.db, `run ${i}`, i, PHOTOS_EACH, refs, options.pauses));
    // Answering at once, every reporter always has an update waiting: that measures how many updates the bot
    // gets through, and the time an update waits behind the others, not how long a person waits for an answer.
    const pacedRuns = options.pauses
      ? runs
      : [await reportRun(api, svidok, handle.db, "at a person's pace", RUNS + 1, PHOTOS_EACH, refs, true)];
    const warnings = [...svidok.warnings].sort((a, b) => b[1] - a[1]);
    const warningCount = warnings.reduce((sum, [, n]) => sum + n, 0);
    await svidok.stop();

    const all = options.pauses ? [textRun, ...runs] : [textRun, ...runs, ...pacedRuns];
    const loaded = runs.flatMap((r) => r.figures.textAnswers);
    const pacedAnswers = pacedRuns.flatMap((r) => r.figures.textAnswers);
    const pacedPhotos = pacedRuns.flatMap((r) => r.figures.photoAnswers);
    const perText = textRun.figures.statementsPerUpdate;
    const peak = Math.max(...all.slice(1).map((r) => r.memory.peakRssBytes));
    const first = runs[0]!.memory;
    const last = runs.at(-1)!.memory;
    const heapGrowth = last.heapUsedBytes / first.heapUsedBytes;
    // Resident memory after a collection is what the allocator has not yet handed back to the system, which
    // swings by a fifth from run to run without any growth underneath; a leak shows in the heap left after a
    // full collection and in each run's peak.
    const rssGrowth = last.rssBytes / first.rssBytes;
    const peakGrowth = last.peakRssBytes / first.peakRssBytes;
    const ratio = textRun.figures.updatesPerSecond / baseline.updatesPerSecond;
    const problems = all.flatMap((r) => r.problems.map((p) => `${r.label}: ${p}`));
    const at = REPORTERS === TARGET_REPORTERS ? "" : ` (measured at ${REPORTERS} reporters; the target is for ${TARGET_REPORTERS})`;

    const lines = [
      "## load",
      "",
      `${REPORTERS} simulated people file complete reports at once (consent, role, address, region, date, one item, ` +
        `${PHOTOS_EACH} photos of 1280×960 ≈ ${(telegramPhotoBytes / 1024).toFixed(0)} KB, narrative, contact, submit), ` +
        (options.pauses
          ? "with a person's pauses before each answer (1–3 s to tap, 2–6 s to type, 2–5 s to pick a photo), arriving over a minute, "
          : "each answering as soon as the bot asks (the reports without photos and runs 1–3: a stress test, which " +
            "measures throughput and memory), then once more at a person's pace (1–3 s to tap, 2–6 s to type, 2–5 s to " +
            "pick a photo, arriving over a minute: the latency people would see with 200 of them at once), ") +
        "against " +
        `the bot in a process of its own, long polling a fake Bot API on loopback, on a fresh PostgreSQL database; ` +
        (options["no-moderators"] ? "no moderators' group (no cards posted). " : "moderators' cards and albums are posted to a group. ") +
        "Outgoing limits: " +
        (limits === "lifted"
          ? "lifted (no 30-a-second or per-chat reservoir: the fake does not enforce Telegram's limits, and with them the " +
            "bot's own work could not be measured; `--telegram-limits` keeps them)."
          : "Telegram's (30 messages a second overall)."),
      "",
      "Latency is from the update being available (queued in the fake) to the bot's first call answering it (a message " +
        "or edit in the chat, or the answer to the button press); p50 / p95 / p99 in ms.",
      "",
      "SQL per update: every statement the bot process sent during the run (on every connection, the chat lock's " +
        "included, and the moderators' cards posted after a submit), divided by the run's updates; the run without " +
        "photos has only text and button updates.",
      "",
      "| run | reports | updates | updates/s | cases/min | text & buttons p50/p95/p99 | photos p50/p95/p99 | SQL per update | bot peak RSS MB (V8 heap / outside) | after run (GC): RSS / heap MB |",
      "|---|---:|---:|---:|---:|---|---|---:|---|---|",
      `| baseline (bare grammY, same poller) | – | ${baseline.updates} | ${baseline.updatesPerSecond.toFixed(0)} | – | ${quantiles(baseline.textAnswers)} | – | – | – | – |`,
      ...all.map(
        (r) =>
          `| ${r.label} | ${REPORTERS} | ${r.figures.updates} | ${r.figures.updatesPerSecond.toFixed(0)} | ${r.casesPerMinute.toFixed(0)} | ` +
          `${quantiles(r.figures.textAnswers)} | ${quantiles(r.figures.photoAnswers)} | ${r.figures.statementsPerUpdate.toFixed(2)} | ` +
          `${mb(r.memory.peakRssBytes)} (${mb(r.memory.peakHeapTotalBytes)} / ${mb(r.memory.peakExternalBytes)}) | ` +
          `${mb(r.memory.rssBytes)} / ${mb(r.memory.heapUsedBytes)} |`,
      ),
      "",
      "Where the time of text and button updates goes, p50 / p95 ms: waiting to be taken (polling, and the chat's " +
        "earlier updates) and the bot's whole handling of it (to its state saved, after the answer was sent); the bot " +
        "process's CPU time per update (all kinds), which other work on the machine does not inflate as it does times; " +
        "and how often the poller asked for updates, with how many updates Telegram would send for each one handled " +
        "(the poller asks again for every update not finished yet).",
      "",
      "| run | waiting | handling | bot CPU ms per update | getUpdates calls | updates handed out per update |",
      "|---|---|---|---:|---:|---:|",
      ...[{ label: "baseline", figures: baseline }, ...all].map(
        ({ label, figures: f }) =>
          `| ${label} | ${quantiles(f.textWaits, [50, 95])} | ${quantiles(f.textHandling, [50, 95])} | ${f.cpuPerUpdateMs.toFixed(2)} | ` +
          `${f.polls} | ${(f.updatesHandedOut / f.updates).toFixed(1)} |`,
      ),
      "",
      "| target | measured | |",
      "|---|---|---|",
      `| text & button answers p95 < 100 ms at ${TARGET_REPORTERS} reporters${at}, at a person's pace | ${ms(percentile(pacedAnswers, 95))} ms | ${verdict(percentile(pacedAnswers, 95) < 100)} |`,
      `| ≤ 4 SQL statements per text update on average | ${perText.toFixed(2)} | ${verdict(perText <= 4)} |`,
      `| bot peak RSS < 300 MB at ${TARGET_REPORTERS} reporters${at} | ${mb(peak)} MB | ${verdict(peak < 300 * 2 ** 20)} |`,
      `| memory does not grow over ${RUNS} runs in one process (within 10%) | heap after GC ×${heapGrowth.toFixed(2)}, peak RSS ×${peakGrowth.toFixed(2)} (run ${RUNS} against run 1; RSS after GC ×${rssGrowth.toFixed(2)}, not judged) | ${verdict(RUNS > 1 && heapGrowth <= 1.1 && peakGrowth <= 1.1)} |`,
      `| text-update throughput ≥ 0.5 × baseline | ${textRun.figures.updatesPerSecond.toFixed(0)} / ${baseline.updatesPerSecond.toFixed(0)} updates/s = ${ratio.toFixed(2)} | ${verdict(ratio >= 0.5)} |`,
      `| every report is exactly one complete case | ${problems.length === 0 ? `${all.length * REPORTERS} reports, ${all.length * REPORTERS} cases` : `${problems.length} problems`} | ${verdict(problems.length === 0)} |`,
      "",
      `Photo updates at a person's pace, p50/p95/p99: ${quantiles(pacedPhotos)} ms (download, sanitize, store, acknowledge). ` +
        `Text and button answers over the stress runs 1–${RUNS}, p95: ${ms(percentile(loaded, 95))} ms, and the bare bot's ` +
        `${ms(percentile(baseline.textAnswers, 95))} ms: with every person's next update always waiting, an update waits ` +
        `behind the others (Little's law: the mean wait is the updates waiting over those handled a second; for the bare ` +
        `bot ${REPORTERS} / ${baseline.updatesPerSecond.toFixed(0)} = ${ms((REPORTERS / baseline.updatesPerSecond) * 1000)} ms), so no bot ` +
        `answers that load within 100 ms on this machine. ` +
        `Answers sent again after 30 s of silence: ${all.reduce((s, r) => s + r.resends, 0)}; apologies: ${all.reduce((s, r) => s + r.apologies, 0)}; ` +
        `"database unavailable, wait" notices: ${all.reduce((s, r) => s + r.outageNotices, 0)}; ` +
        `updates without an answer: ${all.reduce((s, r) => s + r.figures.unanswered, 0)}; warnings in the bot's log: ${warningCount}` +
        `${warnings.length ? ` (${warnings.slice(0, 4).map(([m, n]) => `${n}× "${m}"`).join(", ")})` : ""}. ` +
        `Whole benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s on ${os.cpus().length} cores, ` +
        `load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after (other work on the machine ` +
        `competes with the bot and shows in every figure).`,
    ];
    if (!first.peakResettable) lines.push("", "Peak RSS could not be reset between runs here: each figure is the peak since the bot started.");
    if (problems.length > 0) lines.push("", "Problems:", ...problems.slice(0, 30).map((p) => `- ${p}`));
    process.stdout.write(`${lines.join("\n")}\n`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await handle.close();
    await database.drop().catch((error: unknown) => log(`could not drop the benchmark database: ${String(error)}`));
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const telegramPhotoBytes = (await telegramSizedJpeg(SEED)).length;
process.exitCode = await main();
