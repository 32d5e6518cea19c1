import { type Transaction, sql } from "kysely";
import type { Db } from "./connect.js";
import type { Database, InfoRequestsTable, PromptAction } from "./types.js";
import type { Selectable } from "kysely";

type Executor = Db | Transaction<Database>;

export type InfoRequest = Selectable<InfoRequestsTable>;

/**
 * Claims the right to post the card of a case. A claim left by a process that died before posting is
 * taken over once it is older than `staleAfterMs`.
 */
export async function claimCard(db: Executor, caseId: string, chatId: number, staleAfterMs: number): Promise<boolean> {
  const staleBefore = new Date(Date.now() - staleAfterMs);
  const row = await db
    .insertInto("moderation_cards")
    .values({ case_id: caseId, chat_id: chatId })
    .onConflict((oc) =>
      oc
        .column("case_id")
        .doUpdateSet({ chat_id: chatId, claimed_at: new Date() })
        .where("moderation_cards.message_id", "is", null)
        .where("moderation_cards.claimed_at", "<", staleBefore),
    )
    .returning("case_id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordCardPosted(db: Executor, caseId: string, messageId: number, renderedAt: Date): Promise<void> {
  await db
    .updateTable("moderation_cards")
    .set({ message_id: messageId, posted_at: new Date(), rendered_at: renderedAt })
    .where("case_id", "=", caseId)
    .execute();
}

export async function recordCardRendered(db: Executor, caseId: string, renderedAt: Date): Promise<void> {
  await db.updateTable("moderation_cards").set({ rendered_at: renderedAt }).where("case_id", "=", caseId).execute();
}

/**
 * Posted cards whose case changed after they were drawn, e.g. withdrawn by the reporter. Changes within
 * `graceMs` are left to the action that made them, which redraws its card itself.
 */
export async function staleCards(db: Executor, graceMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("moderation_cards as m")
    .innerJoin("cases as c", "c.id", "m.case_id")
    .select("m.case_id")
    .where("m.message_id", "is not", null)
    // rendered_at comes back from JavaScript with milliseconds only; updated_at has microseconds.
    .where(sql<Date>`date_trunc('milliseconds', c.updated_at)`, ">", sql<Date>`m.rendered_at`)
    .where("c.updated_at", "<=", new Date(Date.now() - graceMs))
    .orderBy("c.updated_at")
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_id);
}

/** A card that could not be posted is let go, so a later attempt (another process, a restart) can post it. */
export async function releaseCardClaim(db: Executor, caseId: string): Promise<void> {
  await db.deleteFrom("moderation_cards").where("case_id", "=", caseId).where("message_id", "is", null).execute();
}

export async function findCardMessage(
  db: Executor,
  caseId: string,
): Promise<{ chatId: number; messageId: number } | undefined> {
  const row = await db
    .selectFrom("moderation_cards")
    .select(["chat_id", "message_id"])
    .where("case_id", "=", caseId)
    .where("message_id", "is not", null)
    .executeTakeFirst();
  return row ? { chatId: row.chat_id, messageId: row.message_id! } : undefined;
}

/**
 * New cases without a card, oldest first: those a crash or an unreachable group kept from the moderators.
 * Cases submitted within `graceMs` are left to the post their submission started.
 */
export async function casesWithoutCard(db: Executor, staleAfterMs: number, graceMs: number, limit: number): Promise<string[]> {
  const staleBefore = new Date(Date.now() - staleAfterMs);
  const rows = await db
    .selectFrom("cases as c")
    .leftJoin("moderation_cards as m", "m.case_id", "c.id")
    .select("c.id")
    .where("c.status", "=", "new")
    .where("c.submitted_at", "<=", new Date(Date.now() - graceMs))
    .where((eb) => eb.or([eb("m.case_id", "is", null), eb.and([eb("m.message_id", "is", null), eb("m.claimed_at", "<", staleBefore)])]))
    .orderBy("c.submitted_at")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface NewPrompt {
  chatId: number;
  messageId: number;
  staffId: number;
  caseId: string;
  action: PromptAction;
  takeover: boolean;
}

export async function savePrompt(db: Executor, prompt: NewPrompt): Promise<void> {
  await db
    .insertInto("moderation_prompts")
    .values({
      chat_id: prompt.chatId,
      message_id: prompt.messageId,
      staff_id: prompt.staffId,
      case_id: prompt.caseId,
      action: prompt.action,
      takeover: prompt.takeover,
    })
    .execute();
}

export interface OpenPrompt {
  id: number;
  caseId: string;
  action: PromptAction;
  takeover: boolean;
}

/** The open prompt this message replies to, if it was asked of this person and has not expired. */
export async function findOpenPrompt(
  db: Executor,
  chatId: number,
  messageId: number,
  staffId: number,
  maxAgeMs: number,
): Promise<OpenPrompt | undefined> {
  const row = await db
    .selectFrom("moderation_prompts")
    .select(["id", "case_id", "action", "takeover"])
    .where("chat_id", "=", chatId)
    .where("message_id", "=", messageId)
    .where("staff_id", "=", staffId)
    .where("used_at", "is", null)
    .where("created_at", ">", new Date(Date.now() - maxAgeMs))
    .executeTakeFirst();
  return row ? { id: row.id, caseId: row.case_id, action: row.action, takeover: row.takeover } : undefined;
}

/** True for the one caller that closes the prompt, so a redelivered reply cannot act twice. */
export async function closePrompt(db: Executor, promptId: number): Promise<boolean> {
  const row = await db
    .updateTable("moderation_prompts")
    .set({ used_at: new Date() })
    .where("id", "=", promptId)
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function createInfoRequest(
  db: Executor,
  request: { caseId: string; reporterId: string; eventId: number; askedBy: number },
): Promise<InfoRequest> {
  return db
    .insertInto("info_requests")
    .values({
      case_id: request.caseId,
      reporter_id: request.reporterId,
      event_id: request.eventId,
      asked_by: request.askedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function recordQuestionMessage(db: Executor, requestId: string, messageId: number): Promise<void> {
  await db.updateTable("info_requests").set({ question_message_id: messageId }).where("id", "=", requestId).execute();
}

/** After answering, more messages within this time (a photo after the text, a forgotten detail) join the answer. */
export const ANSWER_FOLLOW_UP_MS = 15 * 60_000;

/**
 * The question a reporter's message answers: the open one it replies to, otherwise the latest open one on a
 * case waiting for it. A message that follows an answer closely (another part of an album, a photo after the
 * text) joins that answer while its case is still in review.
 */
export async function findAnswerableRequest(
  db: Executor,
  reporterId: string,
  options: { replyToMessageId?: number; mediaGroupId?: string },
): Promise<InfoRequest | undefined> {
  if (options.mediaGroupId) {
    const albumPart = await db
      .selectFrom("info_requests")
      .selectAll()
      .where("reporter_id", "=", reporterId)
      .where("answer_media_group", "=", options.mediaGroupId)
      .executeTakeFirst();
    if (albumPart) return albumPart;
  }
  const open = db
    .selectFrom("info_requests as r")
    .innerJoin("cases as c", "c.id", "r.case_id")
    .selectAll("r")
    .where("r.reporter_id", "=", reporterId)
    .where("r.answered_at", "is", null)
    .where("r.closed_at", "is", null)
    .where("c.status", "=", "needs_info");
  if (options.replyToMessageId !== undefined) {
    const replied = await open.where("r.question_message_id", "=", options.replyToMessageId).executeTakeFirst();
    if (replied) return replied;
  }
  const latest = await open.orderBy("r.asked_at", "desc").orderBy(sql`r.id`).executeTakeFirst();
  if (latest) return latest;
  return db
    .selectFrom("info_requests as r")
    .innerJoin("cases as c", "c.id", "r.case_id")
    .selectAll("r")
    .where("r.reporter_id", "=", reporterId)
    .where("r.answered_at", ">", new Date(Date.now() - ANSWER_FOLLOW_UP_MS))
    .where("c.status", "=", "in_review")
    .orderBy("r.answered_at", "desc")
    .executeTakeFirst();
}

export async function markRequestAnswered(db: Executor, requestId: string, mediaGroupId: string | null): Promise<void> {
  await db
    .updateTable("info_requests")
    .set({ answered_at: new Date(), answer_media_group: mediaGroupId })
    .where("id", "=", requestId)
    .execute();
}

/** Other questions on the case close with an answer or a decision: the reporter sees one conversation. */
export async function closeOpenRequests(db: Executor, caseId: string): Promise<void> {
  await db
    .updateTable("info_requests")
    .set({ closed_at: new Date() })
    .where("case_id", "=", caseId)
    .where("answered_at", "is", null)
    .where("closed_at", "is", null)
    .execute();
}

export async function closeRequest(db: Executor, requestId: string): Promise<void> {
  await db.updateTable("info_requests").set({ closed_at: new Date() }).where("id", "=", requestId).execute();
}
