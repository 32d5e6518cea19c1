import { Bot } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServices, BotContext } from "../../src/bot/context.js";
import { createErrorHandler } from "../../src/bot/error-handler.js";
import { createI18n } from "../../src/bot/i18n.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/server/metrics.js";
import { createUpdateProcessor } from "../../src/server/update-processor.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { TelegramUser } from "../harness/telegram-user.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";

const logger = createLogger("silent");
const connectionLost = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe(`one attempt at an update, on ${testDatabaseKind}`, () => {
  let api: FakeBotApi;
  let database: TestDatabase;
  const config = parseConfig({ BOT_TOKEN: TEST_BOT_TOKEN, DEFAULT_LOCALE: "uk" });
  const i18n = createI18n("uk");

  beforeAll(async () => {
    api = await FakeBotApi.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  function setUp(fail: () => Error | undefined) {
    const metrics = createMetrics();
    const services = { config, db: database.db, logger, metrics } as unknown as AppServices;
    const bot = new Bot<BotContext>(TEST_BOT_TOKEN, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
    bot.use(async (ctx) => {
      const error = fail();
      if (error) throw error;
      await ctx.reply("done");
    });
    bot.catch(createErrorHandler(i18n, logger));
    return { processor: createUpdateProcessor(bot, services, i18n), metrics };
  }

  it("keeps an update while the database is unreachable and tells the person once, in their app's language", async () => {
    let failing = true;
    const { processor } = setUp(() => (failing ? connectionLost() : undefined));
    const person = new TelegramUser(api, { languageCode: "en" });
    const update = await person.says("my answer");
    for (let i = 0; i < 3; i++) expect(await processor.attempt(update)).toBe("again");
    failing = false;
    expect(await processor.attempt(update)).toBe("done");
    const replies = person.drainReplies().map((r) => r.body);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/database is not answering.*Please wait instead of sending it again/s);
    expect(replies[1]).toBe("done");
  });

  it("gives an update up, with an apology, when it keeps failing with a database error while the database answers", async () => {
    const { processor } = setUp(() => connectionLost());
    const person = new TelegramUser(api, { languageCode: "uk" });
    const update = await person.says("poison");
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await processor.attempt(update));
    expect(results).toEqual(["again", "again", "again", "again", "done"]);
    const replies = person.drainReplies().map((r) => r.body);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/база даних/);
    expect(replies[1]).toMatch(/щось пішло не так/);
  });

  it("acknowledges an update whose handler has a bug, after the apology: delivering it again would not help", async () => {
    const { processor, metrics } = setUp(() => new TypeError("a bug"));
    const person = new TelegramUser(api, { languageCode: "en" });
    expect(await processor.attempt(await person.says("anything"))).toBe("done");
    expect((await person.nextReply()).body).toMatch(/something went wrong/);
    expect(await metrics.registry.getSingleMetricAsString("svidok_updates_total")).toMatch(/outcome="failed"} 1/);
  });
});
