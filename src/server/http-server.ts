import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import type { AppServices } from "../bot/context.js";
import { checkDatabase, type UpdateProcessor } from "./update-processor.js";

export interface WebhookEndpoint {
  /** Path of WEBHOOK_URL: Telegram posts there. */
  path: string;
  /** WEBHOOK_SECRET: Telegram sends it in `X-Telegram-Bot-Api-Secret-Token` with every post. */
  secret: string;
  processor: UpdateProcessor;
  /** Bodies above this size are refused with 413 before being read in full. Telegram's updates are far smaller. */
  maxBodyBytes?: number;
}

export interface HttpServerOptions {
  port: number;
  /** Default: every interface, as a container needs; tests use 127.0.0.1. */
  host?: string;
  services: Pick<AppServices, "db" | "logger" | "metrics">;
  /** Absent in long polling: then only /healthz and /metrics are served. */
  webhook?: WebhookEndpoint;
}

export interface RunningHttpServer {
  port: number;
  /** Refuses new webhook posts (503, so Telegram posts them again later), waits for those under way, closes. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compares digests, so neither the secret's length nor its content leaks through timing. */
function secretMatches(given: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof given !== "string") return false;
  return timingSafeEqual(digest(given), expected);
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}

function send(res: http.ServerResponse, status: number, body: string, contentType = "text/plain; charset=utf-8"): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

/**
 * One HTTP server on PORT: Telegram's webhook posts (webhook mode), `/healthz` and `/metrics` (both modes).
 * A webhook post is answered 200 only once its update took effect or failed for good; while the database
 * cannot be used it is answered 503, so Telegram keeps the update and posts it again.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { services, webhook } = options;
  const { logger, metrics } = services;
  const expectedSecret = webhook ? digest(webhook.secret) : undefined;
  const maxBodyBytes = webhook?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let closing = false;
  let inFlight = 0;

  async function handleWebhook(req: http.IncomingMessage, res: http.ServerResponse, endpoint: WebhookEndpoint): Promise<void> {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return send(res, 405, "method not allowed\n");
    }
    // Checked before the body is read: a stranger's post costs nothing and reaches nothing.
    if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"], expectedSecret!)) {
      logger.warn({ remote: req.socket.remoteAddress }, "webhook post with a wrong or missing secret refused");
      req.resume();
      return send(res, 401, "unauthorized\n");
    }
    if (closing) {
      req.resume();
      return send(res, 503, "shutting down\n");
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        logger.warn("oversized webhook post refused");
        metrics.updateFinished("refused", 0);
        // Closing stops the client from sending the rest of a body we will not read.
        res.setHeader("connection", "close");
        return send(res, 413, "payload too large\n");
      }
      throw error;
    }
    let update: unknown;
    try {
      update = JSON.parse(body.toString("utf8"));
    } catch {
      return send(res, 400, "body is not JSON\n");
    }
    if (!isUpdate(update)) return send(res, 400, "body is not a Telegram update\n");
    metrics.updatesInFlight(++inFlight);
    let result;
    try {
      result = await endpoint.processor.attempt(update);
    } finally {
      metrics.updatesInFlight(--inFlight);
    }
    if (result === "again") return send(res, 503, "database unavailable, deliver again later\n");
    send(res, 200, "");
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = async () => {
      if (webhook && path === webhook.path) return handleWebhook(req, res, webhook);
      if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
        const state = await checkDatabase(services);
        return send(res, state === "up" ? 200 : 503, JSON.stringify({ database: state }) + "\n", "application/json");
      }
      if (path === "/metrics" && req.method === "GET") {
        return send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
      }
      send(res, 404, "not found\n");
    };
    route().catch((error: unknown) => {
      logger.error({ err: error }, "HTTP request failed");
      send(res, 500, "internal error\n");
    });
  });
  // Telegram waits for the answer to a post; a slow handler (a large photo) must not be cut off by the server.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}
