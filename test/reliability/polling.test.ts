import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/server/metrics.js";
import { type Poller, startPolling } from "../../src/server/polling.js";
import type { AttemptResult, UpdateProcessor } from "../../src/server/update-processor.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { TelegramUser } from "../harness/telegram-user.js";

const logger = createLogger("silent");

/** Decides each attempt; records the order updates were attempted in. */
function scriptedProcessor(decide: (update: Update, attempt: number) => AttemptResult | Promise<AttemptResult>) {
  const attempts: number[] = [];
  const counts = new Map<number, number>();
  const processor: UpdateProcessor = {
    async attempt(update) {
      attempts.push(update.update_id);
      const n = (counts.get(update.update_id) ?? 0) + 1;
      counts.set(update.update_id, n);
      return decide(update, n);
    },
  };
  return { processor, attempts, counts };
}

describe("long polling that confirms an update only once it is done", () => {
  let api: FakeBotApi;
  const pollers: Poller[] = [];

  const poll = (processor: UpdateProcessor) => {
    const bot = new Bot<BotContext>(TEST_BOT_TOKEN, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
    const poller = startPolling(bot, processor, logger, createMetrics(), {
      allowedUpdates: ["message", "callback_query"],
      orderKey: (update) => String(update.message?.chat.id ?? update.callback_query?.from.id),
      retryInitialMs: 20,
      retryMaxMs: 100,
      busyPollMs: 20,
      longPollSeconds: 1,
    });
    pollers.push(poller);
    return poller;
  };

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
    await api?.stop();
  });

  it("keeps an update that waits for the database unconfirmed, and the next process receives it", async () => {
    api = await FakeBotApi.start();
    const waiting = new TelegramUser(api);
    const other = new TelegramUser(api);
    const first = scriptedProcessor((update) => (update.message?.chat.id === waiting.id ? "again" : "done"));
    const poller = poll(first.processor);
    const fine = await other.says("hello");
    const stuck = await waiting.says("my answer");
    await api.waitFor(() => (first.counts.get(stuck.update_id) ?? 0) >= 3 && first.counts.get(fine.update_id) === 1);
    // The polls made since confirmed the update that was done, not the one still waiting.
    await api.waitFor(() => api.updateStatus(fine.update_id)?.confirmed === 1);
    expect(api.updateStatus(stuck.update_id)?.confirmed).toBe(0);
    await poller.stop();
    pollers.splice(pollers.indexOf(poller), 1);
    expect(api.updateStatus(fine.update_id)?.confirmed).toBe(1);
    expect(api.updateStatus(stuck.update_id)?.confirmed).toBe(0);

    const second = scriptedProcessor(() => "done");
    poll(second.processor);
    await api.waitFor(() => second.counts.get(stuck.update_id) === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.attempts).toEqual([stuck.update_id]);
  });

  it("leaves updates received after a waiting one unconfirmed too: Telegram confirms by offset, so they come again", async () => {
    api = await FakeBotApi.start();
    const waiting = new TelegramUser(api);
    const other = new TelegramUser(api);
    const first = scriptedProcessor((update) => (update.message?.chat.id === waiting.id ? "again" : "done"));
    const poller = poll(first.processor);
    const stuck = await waiting.says("my answer");
    const later = await other.says("hello");
    await api.waitFor(() => first.counts.get(later.update_id) === 1 && (first.counts.get(stuck.update_id) ?? 0) >= 2);
    await poller.stop();
    pollers.splice(pollers.indexOf(poller), 1);
    expect(api.updateStatus(later.update_id)?.confirmed).toBe(0);
    const second = scriptedProcessor(() => "done");
    poll(second.processor);
    await api.waitFor(() => second.counts.size === 2);
    // Handled twice: the bot recognises the second delivery by its id (see the redelivery tests).
    expect(second.attempts).toEqual([stuck.update_id, later.update_id]);
  });

  it("retries with backoff until the database is back, keeping one chat's order and not holding up other chats", async () => {
    api = await FakeBotApi.start();
    const person = new TelegramUser(api);
    const other = new TelegramUser(api);
    const done: number[] = [];
    const { processor, counts } = scriptedProcessor((update, attempt) => {
      if (update.message?.text === "first" && attempt < 4) return "again";
      done.push(update.update_id);
      return "done";
    });
    poll(processor);
    const first = await person.says("first");
    const second = await person.says("second");
    await api.waitFor(() => (counts.get(first.update_id) ?? 0) >= 1);
    const elsewhere = await other.says("meanwhile");
    await api.waitFor(() => done.length === 3, { timeoutMs: 5_000 });
    expect(counts.get(first.update_id)).toBe(4);
    expect(counts.get(second.update_id)).toBe(1);
    expect(done.indexOf(first.update_id)).toBeLessThan(done.indexOf(second.update_id));
    // The other chat was handled while the first chat was still waiting.
    expect(done.indexOf(elsewhere.update_id)).toBe(0);
    await api.waitFor(() => api.pendingUpdateCount === 0, { timeoutMs: 3_000 });
  });

  it("handles updates of different chats at the same time", async () => {
    api = await FakeBotApi.start();
    const users = Array.from({ length: 5 }, () => new TelegramUser(api));
    let running = 0;
    let most = 0;
    const { processor, counts } = scriptedProcessor(async (): Promise<AttemptResult> => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running--;
      return "done";
    });
    poll(processor);
    for (const user of users) await user.says("hi");
    await api.waitFor(() => counts.size === 5);
    expect(most).toBeGreaterThan(1);
  });
});
