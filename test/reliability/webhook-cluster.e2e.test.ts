import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../harness/fake-bot-api.js";
import type { SpawnedBot } from "../harness/spawn-bot.js";
import { startWebhookSplitter, type WebhookSplitter } from "../harness/webhook-splitter.js";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "../helpers/test-database.js";
import { deploymentKeys, startBotProcess } from "./helpers/bot-process.js";
import { expectCasesMatch } from "./helpers/case-checks.js";
import { parsePrometheusText, sampleValue } from "./helpers/prometheus-text.js";
import { freePort } from "./helpers/proxied-database.js";
import { noisePhotos, ScriptedReporter } from "./helpers/scripted-reporter.js";
import { seededRandom } from "../helpers/seeded-random.js";

const CONVERSATIONS = 20;
const secret = "cluster-webhook-secret_0123456789";

function chatOf(update: Update | undefined): number | undefined {
  return update?.message?.chat.id ?? update?.callback_query?.message?.chat.id ?? update?.callback_query?.from.id;
}

// Two processes share nothing but PostgreSQL; chat locks there are what keeps a conversation whole.
describe.skipIf(!testDatabaseUrl)("two webhook processes behind a round-robin splitter (PostgreSQL)", { timeout: 110_000 }, () => {
  let api: FakeBotApi;
  let database: TestDatabase;
  let splitter: WebhookSplitter;
  const bots: SpawnedBot[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    // Telegram may post several updates of one chat at once; the fake does too, so the two processes collide.
    api = await FakeBotApi.start({ webhookOrdering: "none", webhookRetryMs: 200 });
    database = await createTestDatabase();
    ports.push(await freePort(), await freePort());
    const perChat = new Map<number, number>();
    splitter = await startWebhookSplitter(
      ports.map((port) => `http://127.0.0.1:${port}/telegram`),
      {
        // Each conversation's updates alternate between the two processes.
        pick: (update, sequence) => {
          const chat = chatOf(update);
          if (chat === undefined) return sequence;
          const n = perChat.get(chat) ?? 0;
          perChat.set(chat, n + 1);
          return n;
        },
      },
    );
    const keys = deploymentKeys();
    for (const port of ports) {
      bots.push(
        await startBotProcess({
          api,
          databaseUrl: database.connectionString!,
          keys,
          env: { WEBHOOK_URL: splitter.url, WEBHOOK_SECRET: secret, PORT: String(port), HOST: "127.0.0.1" },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await splitter?.stop();
    await api?.stop();
    await database?.close();
  });

  it("turns 20 conversations into 20 correct cases, with duplicates and albums handled by both at once", async () => {
    const forged = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "/start" } } as unknown as Update;
    expect(await api.deliverViaWebhook(`http://127.0.0.1:${ports[0]}/telegram`, forged, "wrong-secret-0123456789")).toBe(401);

    const random = seededRandom(77);
    const reporters = await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, n) =>
        new ScriptedReporter(api, {
          locale: n % 2 === 0 ? "uk" : "en",
          description: `Generator of reporter ${n}`,
          narrative: `Reporter ${n}: the generator was driven away on a truck.`,
          address: `Borodianka, Tsentralna street ${n + 1}`,
          photos: await noisePhotos(2, 3_000 + n),
        }),
      ),
    );
    let duplicates = 0;
    const outcomes = await Promise.all(
      reporters.map((reporter, n) =>
        reporter.run({
          resendAfterMs: 30_000,
          timeoutMs: 100_000,
          album: n % 2 === 0,
          // Now and then Telegram delivers an update a second time while the first delivery is still being handled.
          onSent: (user) => {
            if (random() < 0.25) {
              user.redeliverLast();
              duplicates++;
            }
          },
        }),
      ),
    );
    const troubled = outcomes.filter((o) => o.resends > 0 || o.apologies > 0);
    expect(troubled.map((o) => o.transcript.join("\n"))).toEqual([]);
    await expectCasesMatch(database.db, reporters, outcomes);

    const targets = new Set(splitter.forwarded.map((f) => f.target));
    expect(targets).toEqual(new Set([0, 1]));
    const handled = [];
    let redelivered = 0;
    let submitted = 0;
    let sanitized = 0;
    for (const port of ports) {
      const samples = parsePrometheusText(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      handled.push(sampleValue(samples, "svidok_updates_total", { outcome: "handled" }) ?? 0);
      redelivered += sampleValue(samples, "svidok_updates_total", { outcome: "redelivered" }) ?? 0;
      submitted += sampleValue(samples, "svidok_cases_submitted_total") ?? 0;
      sanitized += sampleValue(samples, "svidok_photos_sanitized_total") ?? 0;
      expect(sampleValue(samples, "svidok_updates_total", { outcome: "failed" })).toBe(0);
    }
    expect(handled.every((count) => count > 0)).toBe(true);
    // Every second delivery was recognised as such, by whichever process it reached.
    expect(redelivered).toBe(duplicates);
    expect(submitted).toBe(CONVERSATIONS);
    expect(sanitized).toBe(2 * CONVERSATIONS);
    for (const bot of bots) expect(bot.logLines().filter((line) => line.msg === "handler failed")).toEqual([]);
    console.info(
      `cluster: ${splitter.forwarded.length} posts, ${duplicates} deliveries doubled and recognised, handled ${handled.join(" + ")}`,
    );
    // SIGTERM in webhook mode: the server stops taking posts, finishes those under way, and the process ends cleanly.
    const exits = await Promise.all(bots.map((bot) => bot.stop(10_000)));
    expect(exits).toEqual(bots.map(() => ({ code: 0, signal: null })));
  });
});
