import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Transformer } from "grammy";

type ThrottlerOptions = NonNullable<Parameters<typeof apiThrottler>[0]>;

/**
 * Telegram's published limits: about 30 messages a second overall and 20 a minute into one group. The
 * plugin's default also spaces messages to one private chat a full second apart, which would make a person
 * wait a second whenever an answer takes two messages; short bursts into a private chat are allowed instead,
 * and a rare 429 is absorbed by auto-retry.
 */
export const telegramLimits: ThrottlerOptions = {
  global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1_000 },
  group: { maxConcurrent: 1, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 60_000 },
  out: { maxConcurrent: 1, reservoir: 5, reservoirRefreshAmount: 5, reservoirRefreshInterval: 1_000 },
};

/**
 * Answering a button press only stops the spinner on the person's screen. Telegram refuses an answer to a press it
 * no longer holds (too old, or already answered, as when a press is delivered again after a restart); that changes
 * nothing for the person, and failing the update for it would apologise for every later press of that button.
 */
export const acceptExpiredQueryAnswers: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (
    method === "answerCallbackQuery" &&
    !result.ok &&
    result.error_code === 400 &&
    /query is too old|query id is invalid/i.test(result.description)
  ) {
    return { ok: true, result: true } as Awaited<ReturnType<typeof prev>>;
  }
  return result;
};

/**
 * One set per bot: the throttler's queues must be shared by every caller (outside and inside conversations)
 * to keep within Telegram's limits. Retries come first so a throttled retry is throttled too.
 */
export function createApiTransformers(limits: ThrottlerOptions = telegramLimits): Transformer[] {
  return [
    acceptExpiredQueryAnswers,
    autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: false }),
    apiThrottler(limits),
  ];
}
