import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi, TEST_BOT_TOKEN } from "./fake-bot-api.js";
import { type SpawnedBot, spawnBot } from "./spawn-bot.js";
import { TelegramUser } from "./telegram-user.js";

let api: FakeBotApi;
let dataDir: string;
const bots: SpawnedBot[] = [];

beforeEach(async () => {
  api = await FakeBotApi.start();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-spawn-"));
});

afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop();
  await api.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function start(): SpawnedBot {
  const bot = spawnBot({
    env: { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: api.apiRoot, DATA_DIR: dataDir, LOG_LEVEL: "info" },
  });
  bots.push(bot);
  return bot;
}

async function polling(bot: SpawnedBot): Promise<void> {
  const before = api.callsTo("getUpdates").length;
  // Loading the bot's modules through tsx takes many seconds on a busy machine.
  await api.waitFor(() => api.callsTo("getUpdates").length > before || bot.exitStatus, { timeoutMs: 60_000 });
  if (bot.exitStatus) throw new Error(`bot ended at start-up\n${bot.describeOutput()}`);
}

describe("spawnBot", () => {
  it("runs the real bot as a process that answers, captures its logs, and dies on SIGKILL", async () => {
    const bot = start();
    await polling(bot);
    const person = new TelegramUser(api, { languageCode: "uk" });
    await person.says("/start");
    await person.expectReply(/Свідок/, { timeoutMs: 2_000 });
    await person.settled();
    expect(bot.logLines().some((line) => line.msg === "Svidok is running (long polling)")).toBe(true);
    expect(bot.stdout).not.toContain(TEST_BOT_TOKEN);

    expect(bot.kill("SIGKILL")).toBe(true);
    expect(await bot.waitForExit(5_000)).toEqual({ code: null, signal: "SIGKILL" });
    expect(bot.exitStatus).toEqual({ code: null, signal: "SIGKILL" });
    expect(bot.kill("SIGTERM")).toBe(false);
  }, 120_000);

  it("refuses to start a bot that could reach anything but a loopback Bot API", () => {
    expect(() => spawnBot({ env: { BOT_TOKEN: TEST_BOT_TOKEN } })).toThrow(/BOT_API_ROOT on loopback/);
    expect(() => spawnBot({ env: { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: "https://api.telegram.org" } })).toThrow(
      /loopback/,
    );
  });
});
