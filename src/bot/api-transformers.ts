import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Transformer } from "grammy";

/**
 * One set per bot: the throttler's queues must be shared by every caller (outside and inside conversations)
 * to keep within Telegram's limits. Retries come first so a throttled retry is throttled too.
 */
export function createApiTransformers(): Transformer[] {
  return [
    autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: false }),
    apiThrottler(),
  ];
}
