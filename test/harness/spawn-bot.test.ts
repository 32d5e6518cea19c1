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
  await api.waitFor(() => api.callsTo("getUpdates").length > before || bot.exitStatus, { timeoutMs: 20_000 });
  if (bot.exitStatus) throw new Error(`bot ended at start-up\n${bot.describeOutput()}`);
}

describe("spawnBot", () => {
  it("runs the real bot as a process that answers, ends with 0 on SIGTERM, and dies on SIGKILL", async () => {
    const first = start();
    await polling(first);
    const person = new TelegramUser(api, { languageCode: "uk" });
    await person.says("/start");
    await person.expectReply(/Свідок/, { timeoutMs: 2_000 });
    await person.says("/language");
    await person.nextReply();
    await person.taps("English");
    await person.expectReply("Language set: English.");
    await person.settled();

    const asked = Date.now();
    expect(first.kill("SIGTERM")).toBe(true);
    expect(await first.waitForExit(5_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(first.logLines().some((line) => line.msg === "Svidok stopped")).toBe(true);
    expect(first.stdout).not.toContain(TEST_BOT_TOKEN);

    const second = start();
    await polling(second);
    await person.says("/start");
    expect((await person.nextReply({ timeoutMs: 2_000 })).buttons).toContain("📝 Start a report");
    second.kill("SIGKILL");
    expect(await second.waitForExit(5_000)).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("refuses to start a bot that could reach anything but a loopback Bot API", () => {
    expect(() => spawnBot({ env: { BOT_TOKEN: TEST_BOT_TOKEN } })).toThrow(/BOT_API_ROOT on loopback/);
    expect(() => spawnBot({ env: { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: "https://api.telegram.org" } })).toThrow(
      /loopback/,
    );
  });
});
