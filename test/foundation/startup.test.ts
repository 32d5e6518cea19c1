import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { type SpawnedBot, spawnBot } from "../harness/spawn-bot.js";
import { TelegramUser } from "../harness/telegram-user.js";

// The bot as a person installs it: `npm start` with only BOT_TOKEN (and the fake server's address) set,
// the embedded database under DATA_DIR.
describe("the bot as a process", () => {
  let api: FakeBotApi;
  let dataDir: string;
  const bots: SpawnedBot[] = [];

  const start = (env: Record<string, string> = {}) => {
    const bot = spawnBot({ env: { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: api.apiRoot, DATA_DIR: dataDir, ...env } });
    bots.push(bot);
    return bot;
  };

  beforeAll(async () => {
    api = await FakeBotApi.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-startup-"));
  });

  afterEach(async () => {
    for (const bot of bots.splice(0)) {
      bot.kill("SIGKILL");
      await bot.waitForExit(10_000).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await api?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers /start in the person's language, keeps a chosen language across a restart, and stops cleanly on SIGTERM", async () => {
    const first = start();
    await first.waitForOutput(/Svidok is running/, 60_000);

    const ukrainian = new TelegramUser(api, { languageCode: "uk" });
    const english = new TelegramUser(api, { languageCode: "en" });

    let sentAt = Date.now();
    await ukrainian.says("/start");
    const ukReply = await ukrainian.nextReply({ timeoutMs: 2_000 });
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(ukReply.body).toMatch(/Вітаю/);

    sentAt = Date.now();
    await english.says("/start");
    const enReply = await english.nextReply({ timeoutMs: 2_000 });
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    expect(enReply.body).toMatch(/Hello/);

    expect(api.commandsFor({ type: "all_private_chats" }, "uk")?.map((c) => c.command)).toContain("new");
    expect(api.commandsFor({ type: "all_private_chats" }, "uk")?.[0]?.description).toMatch(/[а-яіїє]/i);
    expect(api.commandsFor({ type: "all_private_chats" })?.[0]?.description).toMatch(/^[A-Za-z ]+/);

    await ukrainian.says("/language");
    await ukrainian.nextReply();
    await ukrainian.taps("English");
    expect((await ukrainian.nextReply()).body).toMatch(/English/);
    await ukrainian.settled();

    const stopAt = Date.now();
    first.kill("SIGTERM");
    const exit = await first.waitForExit(5_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(5_000);

    const second = start();
    await second.waitForOutput(/Svidok is running/, 60_000);
    await ukrainian.says("/start");
    expect((await ukrainian.nextReply({ timeoutMs: 2_000 })).body).toMatch(/Hello/);
    second.kill("SIGTERM");
    expect(await second.waitForExit(5_000)).toEqual({ code: 0, signal: null });
  }, 150_000);

  it("refuses a second process on the same DATA_DIR", async () => {
    const first = start();
    await first.waitForOutput(/Svidok is running/, 60_000);
    const second = start();
    const exit = await second.waitForExit(20_000);
    expect(exit.code).not.toBe(0);
    expect(second.stderr).toMatch(/DATA_DIR .* is in use by another Svidok process/);
    first.kill("SIGTERM");
    expect(await first.waitForExit(5_000)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it.each([
    ["a missing BOT_TOKEN", { BOT_TOKEN: "" }, /BOT_TOKEN is required/],
    [
      "a malformed DATABASE_URL",
      { DATABASE_URL: "postgres//nowhere", PSEUDONYM_KEY: "11".repeat(32), DATA_KEY: "22".repeat(32) },
      /DATABASE_URL must be a postgres/,
    ],
  ])("ends start-up on %s with a message naming it and no stack trace", async (_name, env, message) => {
    const bot = start(env);
    const exit = await bot.waitForExit(20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(bot.stderr).toMatch(message);
    expect(bot.stderr + bot.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  }, 30_000);
});
