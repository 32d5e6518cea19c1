import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";

export interface ForwardedUpdate {
  updateId: number | undefined;
  /** Index of the target the update went to. */
  target: number;
  /** The target's HTTP status, or 502 when it could not be reached. */
  status: number;
  at: number;
}

export interface WebhookSplitter {
  /** Give this to the bots as WEBHOOK_URL: the fake Bot API posts here once a bot has called setWebhook. */
  readonly url: string;
  readonly forwarded: ForwardedUpdate[];
  stop(): Promise<void>;
}

export interface WebhookSplitterOptions {
  /** Chooses the target of each POST; default: round robin over all POSTs. */
  pick?: (update: Update | undefined, sequence: number) => number;
}

const forwardedHeaders = ["content-type", "x-telegram-bot-api-secret-token"];

/**
 * A load balancer in front of several bot processes in webhook mode, on 127.0.0.1: each webhook POST goes
 * to one target, its answer (status and body) goes back to the fake Bot API, an unreachable target is a 502.
 */
export async function startWebhookSplitter(targets: string[], options: WebhookSplitterOptions = {}): Promise<WebhookSplitter> {
  if (targets.length === 0) throw new Error("startWebhookSplitter needs at least one target");
  const forwarded: ForwardedUpdate[] = [];
  let sequence = 0;
  const aborts = new Set<AbortController>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let update: Update | undefined;
    try {
      update = JSON.parse(body.toString("utf8")) as Update;
    } catch {
      update = undefined;
    }
    const target = (options.pick?.(update, sequence) ?? sequence) % targets.length;
    sequence++;
    const headers: Record<string, string> = {};
    for (const name of forwardedHeaders) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const abort = new AbortController();
    aborts.add(abort);
    let status = 502;
    let answer: Buffer = Buffer.alloc(0);
    let type: string | undefined;
    try {
      const response = await fetch(targets[target]!, { method: req.method ?? "POST", headers, body, signal: abort.signal });
      status = response.status;
      type = response.headers.get("content-type") ?? undefined;
      answer = Buffer.from(await response.arrayBuffer());
    } catch {
      status = 502;
    } finally {
      aborts.delete(abort);
    }
    forwarded.push({ updateId: update?.update_id, target, status, at: Date.now() });
    res.writeHead(status, type ? { "content-type": type } : {});
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
  return {
    url,
    forwarded,
    async stop() {
      for (const abort of aborts) abort.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
