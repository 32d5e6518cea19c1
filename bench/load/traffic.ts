import type { Update } from "grammy/types";
import { FakeBotApi, type RecordedCall } from "../../test/harness/fake-bot-api.js";
import type { HandledUpdate } from "./protocol.js";

export type UpdateKind = "text" | "button" | "photo" | "other";

/** The fake Bot API, also keeping every update people sent, in order. */
export class RecordingFakeBotApi extends FakeBotApi {
  readonly sent: Update[] = [];

  override enqueueMany(partials: Parameters<FakeBotApi["enqueueMany"]>[0]): Update[] {
    const updates = super.enqueueMany(partials);
    this.sent.push(...updates);
    return updates;
  }
}

export function updateKind(update: Update): UpdateKind {
  if (update.callback_query) return "button";
  if (update.message?.photo) return "photo";
  if (update.message?.text !== undefined) return "text";
  return "other";
}

function chatOf(update: Update): number | undefined {
  return update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
}

export interface MeasuredUpdate {
  updateId: number;
  kind: UpdateKind;
  /** From the update being available to the bot (queued in the fake) to the bot's first call answering it. */
  answerMs?: number;
  /** From the update being available to the bot starting on it: polling, and other updates of its chat ahead of it. */
  waitMs?: number;
  /** From the bot starting on the update to finishing with it (its state saved). */
  handlingMs: number;
}

/**
 * Pairs every update with the first Bot API call that answers it: a call into its chat (a message, an edit, a
 * deletion) or the answer to its button press. A chat's updates are handled one after another, and the bot waits
 * for each call's response, so every call the fake records while update U of a chat is the one being handled
 * (from U's start to the next update's start in that chat) belongs to U.
 */
export function measureAnswers(
  api: FakeBotApi,
  updates: Update[],
  handled: ReadonlyMap<number, HandledUpdate>,
  calls: RecordedCall[],
): { measured: MeasuredUpdate[]; unhandled: number; unanswered: number } {
  const callsByChat = new Map<number, RecordedCall[]>();
  const callbackAnswers = new Map<string, number>();
  for (const call of calls) {
    if (!call.ok) continue;
    if (call.method === "answerCallbackQuery") {
      const id = String(call.params.callback_query_id);
      if (!callbackAnswers.has(id)) callbackAnswers.set(id, call.at);
      continue;
    }
    const chatId = Number(call.params.chat_id);
    if (!Number.isFinite(chatId)) continue;
    let list = callsByChat.get(chatId);
    if (!list) callsByChat.set(chatId, (list = []));
    list.push(call);
  }

  const byChat = new Map<number, { update: Update; record: HandledUpdate }[]>();
  let unhandled = 0;
  for (const update of updates) {
    const record = handled.get(update.update_id);
    const chatId = chatOf(update);
    if (!record || chatId === undefined) {
      unhandled++;
      continue;
    }
    let list = byChat.get(chatId);
    if (!list) byChat.set(chatId, (list = []));
    list.push({ update, record });
  }

  const measured: MeasuredUpdate[] = [];
  let unanswered = 0;
  for (const [chatId, list] of byChat) {
    list.sort((a, b) => a.record.startedAt - b.record.startedAt);
    const chatCalls = callsByChat.get(chatId) ?? [];
    let cursor = 0;
    for (const [index, { update, record }] of list.entries()) {
      const until = list[index + 1]?.record.startedAt ?? Number.POSITIVE_INFINITY;
      while (cursor < chatCalls.length && chatCalls[cursor]!.at < record.startedAt) cursor++;
      const inChat = cursor < chatCalls.length && chatCalls[cursor]!.at < until ? chatCalls[cursor]!.at : undefined;
      const queryId = update.callback_query?.id;
      const pressAnswered = queryId !== undefined ? callbackAnswers.get(queryId) : undefined;
      const answeredAt = [inChat, pressAnswered].filter((t): t is number => t !== undefined).reduce((a, b) => Math.min(a, b), Infinity);
      const queuedAt = api.updateStatus(update.update_id)?.queuedAt;
      const answerMs = Number.isFinite(answeredAt) && queuedAt !== undefined ? answeredAt - queuedAt : undefined;
      if (answerMs === undefined) unanswered++;
      measured.push({
        updateId: update.update_id,
        kind: updateKind(update),
        ...(answerMs !== undefined ? { answerMs } : {}),
        ...(queuedAt !== undefined ? { waitMs: record.startedAt - queuedAt } : {}),
        handlingMs: record.endedAt - record.startedAt,
      });
    }
  }
  return { measured, unhandled, unanswered };
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
