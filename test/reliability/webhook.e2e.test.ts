import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import type { Reply } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { testDatabaseKind, testDatabaseUrl } from "../helpers/test-database.js";
import { parsePrometheusText, sampleValue } from "./helpers/prometheus-text.js";
import { createProxiedDatabase, freePort, type ProxiedDatabase } from "./helpers/proxied-database.js";

const secret = "webhook-secret-for-tests_0123456789";
const t = createI18n("uk");

async function webhookSvidok(database?: ProxiedDatabase) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/telegram`;
  const svidok = await startSvidok({
    ...(database ? { database: { ...database.viaProxy } } : {}),
    env: { WEBHOOK_URL: url, WEBHOOK_SECRET: secret, PORT: String(port), HOST: "127.0.0.1" },
  });
  return { svidok, url, base: `http://127.0.0.1:${port}` };
}

async function metricsOf(base: string) {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

describe(`webhook mode on ${testDatabaseKind}`, { timeout: 60_000 }, () => {
  let svidok: RunningSvidok | undefined;
  let database: ProxiedDatabase | undefined;
  afterEach(async () => {
    await svidok?.stop();
    await database?.close();
    svidok = undefined;
    database = undefined;
  });

  it("registers the webhook with its secret, refuses posts without it (401, nothing processed) and serves metrics", async () => {
    const started = await webhookSvidok();
    svidok = started.svidok;
    const { api } = svidok;
    expect(api.webhookInfo).toEqual({ url: started.url, secret });

    const stranger = svidok.user({ languageCode: "en" });
    // Built by hand, not queued: Telegram never saw these, a stranger posts them straight to the bot.
    const forged = {
      update_id: 999_000_001,
      message: { message_id: 1, date: api.now(), chat: stranger.chat, from: stranger.user, text: "/start" },
    } as unknown as Update;
    expect(await api.deliverViaWebhook(started.url, forged, "not-the-secret-at-all")).toBe(401);
    expect(await api.deliverViaWebhook(started.url, forged)).toBe(401);
    await stranger.expectNoReply(300);
    expect(await svidok.db.selectFrom("bot_storage").select("key").execute()).toEqual([]);
    const before = await metricsOf(started.base);
    expect(sampleValue(before, "svidok_updates_total", { outcome: "handled" })).toBe(0);

    const person = svidok.user({ languageCode: "en" });
    await person.says("/start");
    const reply = await person.nextReply({ timeoutMs: 10_000 });
    expect(reply.body.length).toBeGreaterThan(0);
    await person.settled();
    const after = await metricsOf(started.base);
    expect(sampleValue(after, "svidok_updates_total", { outcome: "handled" })).toBe(1);
    expect(sampleValue(after, "svidok_update_handling_seconds_count")).toBe(1);
    expect((await fetch(`${started.base}/healthz`)).status).toBe(200);
  });

  // The outage is a proxy between this bot and PostgreSQL that the test cuts.
  it.skipIf(!testDatabaseUrl)("answers 503 while the database is down, so Telegram delivers the update again, and /healthz says 503", async () => {
    database = await createProxiedDatabase();
    const started = await webhookSvidok(database);
    svidok = started.svidok;
    const { api } = svidok;
    const person = svidok.user({ languageCode: "uk" });
    await person.says("/start");
    await person.nextReply({ timeoutMs: 10_000 });
    await person.settled();

    await database.proxy.cut();
    expect((await fetch(`${started.base}/healthz`)).status).toBe(503);
    const during = await person.says("/help");
    const notice: Reply = await person.nextReply({ timeoutMs: 15_000 });
    expect(notice.body).toBe(t.t("uk", "reliability-database-unavailable"));
    await api.waitFor(() => api.webhookDeliveries.filter((d) => d.updateId === during.update_id && d.status === 503).length >= 2, {
      timeoutMs: 15_000,
    });
    await person.expectNoReply(500);

    await database.proxy.restore();
    const answer = await person.nextReply({ timeoutMs: 15_000 });
    expect(answer.body).not.toBe(notice.body);
    await api.waitFor(() => api.webhookDeliveries.some((d) => d.updateId === during.update_id && d.status === 200), { timeoutMs: 10_000 });
    expect((await fetch(`${started.base}/healthz`)).status).toBe(200);
    // Delivered many times, answered once; the notice came once however often it was retried.
    await person.expectNoReply(500);
    const metrics = await metricsOf(started.base);
    expect(sampleValue(metrics, "svidok_updates_total", { outcome: "deferred" })).toBeGreaterThanOrEqual(2);
  });
});
