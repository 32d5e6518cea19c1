import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../src/db/connect.js";
import { createLogger } from "../../src/logger.js";
import { startHttpServer, type RunningHttpServer } from "../../src/server/http-server.js";
import { createMetrics, type Metrics } from "../../src/server/metrics.js";
import type { AttemptResult, UpdateProcessor } from "../../src/server/update-processor.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import { parsePrometheusText, sampleValue } from "./helpers/prometheus-text.js";
import { startTcpProxy } from "./helpers/tcp-proxy.js";

const logger = createLogger("silent");
const secret = "s3cret-token-for-tests_0123456789";

/** Records what reached it and answers as told. */
function recordingProcessor(answer: () => AttemptResult = () => "done") {
  const received: Update[] = [];
  const processor: UpdateProcessor = {
    attempt: async (update) => {
      received.push(update);
      return answer();
    },
  };
  return { processor, received };
}

const update = (id: number): Update =>
  ({ update_id: id, message: { message_id: 1, date: 0, chat: { id: 5, type: "private", first_name: "A" }, text: "hi" } }) as Update;

async function post(port: number, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe(`HTTP server: webhook, /healthz, /metrics on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let metrics: Metrics;
  const servers: RunningHttpServer[] = [];
  const start = async (processor: UpdateProcessor, db = database.db) => {
    const server = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      services: { db, logger, metrics },
      webhook: { path: "/telegram", secret, processor, maxBodyBytes: 64 * 1024 },
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await database?.close();
  });

  it("refuses a post with a wrong or missing secret with 401 and hands nothing on", async () => {
    metrics = createMetrics();
    const { processor, received } = recordingProcessor();
    const { port } = await start(processor);
    expect((await post(port, JSON.stringify(update(1)), { "x-telegram-bot-api-secret-token": "wrong" })).status).toBe(401);
    expect((await post(port, JSON.stringify(update(2)))).status).toBe(401);
    expect((await post(port, JSON.stringify(update(3)), { "x-telegram-bot-api-secret-token": secret.slice(0, -1) })).status).toBe(401);
    expect(received).toEqual([]);
    expect((await post(port, JSON.stringify(update(4)), { "x-telegram-bot-api-secret-token": secret })).status).toBe(200);
    expect(received.map((u) => u.update_id)).toEqual([4]);
  });

  it("answers 503 while the update must come again, 413 for an oversized body, 400 for what is no update", async () => {
    metrics = createMetrics();
    let answer: AttemptResult = "again";
    const { processor, received } = recordingProcessor(() => answer);
    const { port } = await start(processor);
    const headers = { "x-telegram-bot-api-secret-token": secret };
    expect((await post(port, JSON.stringify(update(10)), headers)).status).toBe(503);
    answer = "done";
    expect((await post(port, JSON.stringify(update(10)), headers)).status).toBe(200);
    expect((await post(port, JSON.stringify({ ...update(11), padding: "x".repeat(70 * 1024) }), headers)).status).toBe(413);
    expect((await post(port, "{not json", headers)).status).toBe(400);
    expect((await post(port, JSON.stringify({ message: {} }), headers)).status).toBe(400);
    expect(received.map((u) => u.update_id)).toEqual([10, 10]);
    const get = await fetch(`http://127.0.0.1:${port}/telegram`);
    expect(get.status).toBe(405);
  });

  it("serves /metrics as valid Prometheus text with the counters features increment", async () => {
    metrics = createMetrics({ processMetrics: true });
    const { port } = await start(recordingProcessor().processor);
    metrics.updateFinished("handled", 0.02);
    metrics.updateFinished("deferred", 0.3);
    metrics.handlerError();
    metrics.caseSubmitted();
    metrics.photoSanitized();
    metrics.photoSanitized();
    metrics.photoRejected("not_an_image");
    metrics.photoRejected("Free text: never a label");
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(await response.text());
    expect(sampleValue(samples, "svidok_updates_total", { outcome: "handled" })).toBe(1);
    expect(sampleValue(samples, "svidok_updates_total", { outcome: "deferred" })).toBe(1);
    expect(sampleValue(samples, "svidok_updates_total", { outcome: "failed" })).toBe(0);
    expect(sampleValue(samples, "svidok_handler_errors_total")).toBe(1);
    expect(sampleValue(samples, "svidok_cases_submitted_total")).toBe(1);
    expect(sampleValue(samples, "svidok_photos_sanitized_total")).toBe(2);
    expect(sampleValue(samples, "svidok_photos_rejected_total", { reason: "not_an_image" })).toBe(1);
    expect(sampleValue(samples, "svidok_photos_rejected_total", { reason: "other" })).toBe(1);
    expect(sampleValue(samples, "svidok_update_handling_seconds_count")).toBe(2);
    expect(sampleValue(samples, "svidok_update_handling_seconds_bucket", { le: "0.025" })).toBe(1);
    expect(sampleValue(samples, "svidok_update_handling_seconds_bucket", { le: "+Inf" })).toBe(2);
    expect(sampleValue(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("reports /healthz 200 while the database answers and 503 while it is down", async () => {
    metrics = createMetrics();
    const { port } = await start(recordingProcessor().processor);
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect(await health()).toEqual({ status: 200, body: { database: "up" } });

    if (testDatabaseKind === "postgres") {
      // The outage is simulated for this server alone: its connections go through a proxy that the test cuts.
      const target = new URL(database.connectionString!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(target);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(proxy.port);
      const handle = openPostgres({ connectionString: viaProxy.toString() });
      try {
        const behindProxy = await start(recordingProcessor().processor, handle.db);
        const healthOf = async () => (await fetch(`http://127.0.0.1:${behindProxy.port}/healthz`)).status;
        expect(await healthOf()).toBe(200);
        await proxy.cut();
        const started = Date.now();
        expect(await healthOf()).toBe(503);
        expect(Date.now() - started).toBeLessThan(3_000);
        await proxy.restore();
        // The pool replaces the connection the outage broke by itself.
        expect(await healthOf()).toBe(200);
      } finally {
        await handle.close();
        await proxy.close();
      }
    } else {
      const spare = await createTestDatabase();
      const behindClosed = await start(recordingProcessor().processor, spare.db);
      await spare.close();
      expect((await fetch(`http://127.0.0.1:${behindClosed.port}/healthz`)).status).toBe(503);
    }
  });
});
