import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import type { Update } from "grammy/types";
import sharp from "sharp";
import { startApp } from "../../src/app.js";
import { createI18n } from "../../src/bot/i18n.js";
import { parseConfig } from "../../src/config.js";
import { createPGlite, wrapPGlite } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../../test/harness/fake-bot-api.js";
import { TelegramUser } from "../../test/harness/telegram-user.js";

/**
 * Replay cost of the intake conversation: one long report (50 items, 20 photos), one update at a time, each
 * sent only after the previous one was handled. The handling time of the 5th and of the 150th update are
 * compared: with one short conversation per question the 150th must not cost more than the 5th.
 */
const ITEMS = 50;
const PHOTOS = 20;
// Collecting garbage in the pause before each update keeps a collection from landing in one measurement only.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** The bot lets one person send 40 updates in 30 seconds; a steady pace below that never meets the limit. */
const PACE_MS = 800;

const i18n = createI18n("en");
const t = (key: string, vars?: Record<string, string | number>) => i18n.t("en", key, vars);

interface Timed {
  label: string;
  ms: number;
}

async function photoBytes(count: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    photos.push(
      await sharp({ create: { width: 1280, height: 960, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: 120 } } })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return photos;
}

async function oneReport(api: FakeBotApi, photos: Buffer[], items: number): Promise<Timed[]> {
  const user = new TelegramUser(api, { languageCode: "en" });
  const timings: Timed[] = [];
  let lastSent = 0;
  const step = async (label: string, act: () => Promise<Update>) => {
    collectGarbage();
    await sleep(Math.max(0, lastSent + PACE_MS - Date.now()));
    lastSent = Date.now();
    const update = await act();
    await user.settled({ timeoutMs: 60_000 });
    const status = api.updateStatus(update.update_id);
    if (!status?.deliveredAt || !status.handledAt) throw new Error(`no timing for update ${timings.length + 1} (${label})`);
    timings.push({ label, ms: status.handledAt - status.deliveredAt });
  };
  await step("/new", () => user.says("/new"));
  await step("consent", () => user.taps(t("intake-consent-agree")));
  await step("role", () => user.taps(t("intake-role-victim")));
  await step("place", () => user.says("Bucha, Vokzalna 12"));
  await step("region", () => user.taps(t("intake-region-kyivska")));
  await step("date", () => user.says("12.03.2022"));
  for (let i = 1; i <= items; i++) {
    await step(`item ${i} category`, () => user.taps(t("intake-category-electronics")));
    await step(`item ${i} description`, () => user.says(`Phone number ${i}, black`));
    await step(`item ${i} quantity`, () => user.taps("1"));
    await step(`item ${i} value`, () => user.says("300 USD"));
    await step(`item ${i} identifier`, () => user.taps(t("intake-button-skip")));
    if (i < items) await step(`item ${i} more`, () => user.taps(t("intake-item-more-add")));
  }
  await step("items done", () => user.taps(t("intake-item-more-done")));
  await step("perpetrators", () => user.taps(t("intake-button-skip")));
  for (let i = 0; i < photos.length; i++) await step(`photo ${i + 1}`, () => user.sendsPhoto(photos[i]!));
  await step("photos done", () => user.taps(t("intake-photos-done")));
  await step("narrative", () => user.says("They took everything."));
  await step("contact", () => user.taps(t("intake-contact-no")));
  await step("submit", () => user.taps(t("intake-review-submit")));
  const reply = user.drainReplies().at(-1);
  if (!reply || !/SV-/.test(reply.body)) throw new Error(`the report was not submitted: ${reply?.body ?? "no reply"}`);
  return timings;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median handling time of the item updates of one kind among the updates numbered from..to. */
function itemMedian(timings: Timed[], from: number, to: number): number {
  return median(timings.slice(from - 1, to).filter((x) => x.label.startsWith("item ")).map((x) => x.ms));
}

export async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-bench-replay-"));
  const api = await FakeBotApi.start();
  const pglite = await createPGlite();
  const database = wrapPGlite(pglite);
  await migrateToLatest(database.db);
  const config = parseConfig({
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_API_ROOT: api.apiRoot,
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    PSEUDONYM_KEY: randomBytes(32).toString("hex"),
    DATA_KEY: randomBytes(32).toString("hex"),
  });
  const app = await startApp(config, { database, logger: createLogger("silent") });
  api.instrument(app.bot);
  try {
    const photos = await photoBytes(PHOTOS);
    // A short report first, so the JIT, the database and the caches are warm; not counted.
    await oneReport(api, photos.slice(0, 2), 2);
    const run = await oneReport(api, photos, ITEMS);
    const at = (n: number) => run[n - 1]!;
    const total = run.length;
    const fifth = at(5);
    const hundredFiftieth = at(150);
    const firstPhoto = run.findIndex((x) => x.label === "photo 1") + 1;
    const lastPhoto = run.findIndex((x) => x.label === `photo ${PHOTOS}`) + 1;
    const ratio = hundredFiftieth.ms / fifth.ms;
    const earlyItems = itemMedian(run, 7, 36);
    const lateItems = itemMedian(run, 135, 164);
    const lines = [
      "## replay",
      "",
      `One report of ${total} updates (${ITEMS} items, ${PHOTOS} photos of 1280×960), each update sent ${PACE_MS} ms after the previous one, only once it was handled and after a garbage collection, to the bot in this process (embedded PGlite in memory, fake Bot API on loopback). Handling time: from the update's delivery to the end of its handling. A short report ran first to warm up.`,
      "",
      "| update | step | handling time |",
      "|---|---|---|",
      `| 5th | ${fifth.label} | ${fifth.ms.toFixed(0)} ms |`,
      `| 150th | ${hundredFiftieth.label} | ${hundredFiftieth.ms.toFixed(0)} ms |`,
      `| 7th–36th, item updates, median | items 1–5 | ${earlyItems.toFixed(0)} ms |`,
      `| 135th–164th, item updates, median | items 23–27 | ${lateItems.toFixed(0)} ms |`,
      `| ${ordinal(firstPhoto)} | photo 1 (download, sanitize, store) | ${at(firstPhoto).ms.toFixed(0)} ms |`,
      `| ${ordinal(lastPhoto)} | photo ${PHOTOS} | ${at(lastPhoto).ms.toFixed(0)} ms |`,
      `| ${ordinal(total)} | submit | ${at(total).ms.toFixed(0)} ms |`,
      "",
      `Ratio of the 150th to the 5th: **${ratio.toFixed(2)}** (target ≤ 1.5: ${ratio <= 1.5 ? "met" : "NOT met"}); of the later items to the early ones: ${(lateItems / earlyItems).toFixed(2)}.`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await app.stop();
    await database.close();
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

