import type { Transaction } from "kysely";
import { appendEvent, listCaseEvents } from "../db/case-events.js";
import type { Db } from "../db/connect.js";
import {
  closeOpenRequests,
  closeRequest,
  createInfoRequest,
  findAnswerableRequest,
  type InfoRequest,
  markRequestAnswered,
} from "../db/moderation-state.js";
import {
  findCaseById,
  findCaseByRef,
  findReporterContact,
  identifierFlags,
  isFlaggableIdentifier,
  type IdentifierFlag,
  listCaseItems,
  listPhotoSummaries,
  lockCase,
  photoFlags,
  type PhotoFlag,
  type PhotoSummary,
  type ReporterContact,
} from "../db/moderation-queries.js";
import type { Case, CaseEvent, CaseItem, CaseStatus, Database } from "../db/types.js";
import { normalizeCaseRef } from "./reference.js";
import { CaseError, nextStatus, type TransitionAction } from "./transitions.js";

/** Two photos whose perceptual hashes differ in at most this many of 64 bits are taken to be the same picture. */
export const PHOTO_DUPLICATE_DISTANCE = 8;

export const textLimits = { reason: 1000, question: 1500, note: 2000, answer: 4000 } as const;

export interface ModerationDeps {
  db: Db;
  takeTimeoutHours: number;
  now?: () => Date;
}

/**
 * The moderator whose hold on the case is still in force. A hold lapses by itself after the timeout, and
 * means nothing once the case is decided or withdrawn.
 */
export function activeHolder(
  c: Pick<Case, "status" | "assignee_id" | "assigned_at">,
  now: Date,
  takeTimeoutHours: number,
): number | undefined {
  if (c.status !== "in_review" && c.status !== "needs_info") return undefined;
  if (c.assignee_id === null || c.assigned_at === null) return undefined;
  if (now.getTime() - c.assigned_at.getTime() >= takeTimeoutHours * 3_600_000) return undefined;
  return c.assignee_id;
}

/** A reference as a person types it (any case, spaces or no dashes); CaseNotFound for anything else. */
export async function resolveRef(db: Db, typed: string): Promise<Case> {
  const ref = normalizeCaseRef(typed);
  const found = ref ? await findCaseByRef(db, ref) : undefined;
  if (!found) throw new CaseError("CaseNotFound", { ref: ref ?? typed.trim().slice(0, 20) });
  return found;
}

export async function getCase(db: Db, caseId: string): Promise<Case> {
  const found = await findCaseById(db, caseId);
  if (!found) throw new CaseError("CaseNotFound");
  return found;
}

export interface ActionResult {
  before: Case;
  after: Case;
  /** The event of the action itself; undefined when nothing had to change. */
  event: CaseEvent | undefined;
  /** The moderator whose hold was taken over, when there was one. */
  takenOverFrom: number | undefined;
}

interface StatusChange {
  action: TransitionAction;
  kind: "taken" | "verified" | "rejected" | "marked_duplicate" | "info_requested";
  text?: string;
  data?: Record<string, unknown>;
  duplicateOf?: string;
}

interface ActionInput {
  caseId: string;
  actorId: number;
  /** The moderator confirmed taking the case over from whoever holds it. */
  takeover?: boolean;
}

function requireText(text: string | undefined, limit: number): string {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") throw new CaseError("TextRequired");
  if (trimmed.length > limit) throw new CaseError("TextTooLong", { limit });
  return trimmed;
}

async function lockOrFail(trx: Transaction<Database>, caseId: string): Promise<Case> {
  const row = await lockCase(trx, caseId);
  if (!row) throw new CaseError("CaseNotFound");
  return row;
}

/** The holder this action would take the case from; HeldByAnother unless the takeover was confirmed. */
function custody(deps: ModerationDeps, current: Case, input: ActionInput): number | undefined {
  const holder = activeHolder(current, deps.now?.() ?? new Date(), deps.takeTimeoutHours);
  if (holder === undefined || holder === input.actorId) return undefined;
  if (!input.takeover) {
    throw new CaseError("HeldByAnother", { ref: current.ref, holderId: holder, heldSince: current.assigned_at! });
  }
  return holder;
}

/**
 * Checks the transition, then custody: acting on a case another moderator holds needs `takeover`, and the
 * takeover is written to the log before the action. Returns the previous holder when there was a takeover.
 */
async function guard(
  trx: Transaction<Database>,
  deps: ModerationDeps,
  current: Case,
  input: ActionInput,
  action: TransitionAction,
): Promise<{ to: CaseStatus; takenOverFrom: number | undefined }> {
  const to = nextStatus(current.status, action);
  const holder = custody(deps, current, input);
  if (holder === undefined) return { to, takenOverFrom: undefined };
  await appendEvent(trx, {
    caseId: current.id,
    actorKind: "staff",
    actorId: input.actorId,
    kind: "taken_over",
    data: { from: holder, heldSince: current.assigned_at!.toISOString() },
  });
  return { to, takenOverFrom: holder };
}

async function changeStatus(deps: ModerationDeps, input: ActionInput, change: StatusChange): Promise<ActionResult> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockOrFail(trx, input.caseId);
    const { to, takenOverFrom } = await guard(trx, deps, before, input, change.action);
    const now = deps.now?.() ?? new Date();
    const after = await trx
      .updateTable("cases")
      .set({
        status: to,
        assignee_id: input.actorId,
        assigned_at: now,
        updated_at: now,
        ...(change.duplicateOf ? { duplicate_of: change.duplicateOf } : {}),
      })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (to !== "needs_info" && before.status === "needs_info") await closeOpenRequests(trx, before.id);
    const event = await appendEvent(trx, {
      caseId: before.id,
      actorKind: "staff",
      actorId: input.actorId,
      kind: change.kind,
      fromStatus: before.status,
      toStatus: to,
      text: change.text ?? null,
      data: change.data ?? null,
    });
    return { before, after, event, takenOverFrom };
  });
}

/** Assigns the case to the moderator; a new case goes into review. Taking a case one holds changes nothing. */
export async function takeCase(deps: ModerationDeps, input: ActionInput): Promise<ActionResult> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockOrFail(trx, input.caseId);
    const { to, takenOverFrom } = await guard(trx, deps, before, input, "take");
    const now = deps.now?.() ?? new Date();
    if (activeHolder(before, now, deps.takeTimeoutHours) === input.actorId) {
      return { before, after: before, event: undefined, takenOverFrom: undefined };
    }
    const after = await trx
      .updateTable("cases")
      .set({ status: to, assignee_id: input.actorId, assigned_at: now, updated_at: now })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // A takeover is itself the record of who holds the case now; a second "taken" event would say it twice.
    const event = takenOverFrom
      ? undefined
      : await appendEvent(trx, {
          caseId: before.id,
          actorKind: "staff",
          actorId: input.actorId,
          kind: "taken",
          fromStatus: before.status,
          toStatus: to,
        });
    return { before, after, event, takenOverFrom };
  });
}

export async function verifyCase(deps: ModerationDeps, input: ActionInput): Promise<ActionResult> {
  return changeStatus(deps, input, { action: "verify", kind: "verified" });
}

export async function rejectCase(deps: ModerationDeps, input: ActionInput & { reason: string }): Promise<ActionResult> {
  const reason = requireText(input.reason, textLimits.reason);
  return changeStatus(deps, input, { action: "reject", kind: "rejected", text: reason });
}

export async function markDuplicate(
  deps: ModerationDeps,
  input: ActionInput & { originalRef: string },
): Promise<ActionResult> {
  const ref = normalizeCaseRef(input.originalRef);
  const original = ref ? await findCaseByRef(deps.db, ref) : undefined;
  if (!original || original.id === input.caseId || original.status === "withdrawn") {
    throw new CaseError("InvalidDuplicateTarget", { ref: ref ?? input.originalRef.trim().slice(0, 20) });
  }
  return changeStatus(deps, input, {
    action: "mark_duplicate",
    kind: "marked_duplicate",
    duplicateOf: original.id,
    data: { duplicateOf: original.ref, duplicateOfId: original.id },
  });
}

export interface InfoRequestResult extends ActionResult {
  request: InfoRequest;
  contact: ReporterContact;
}

/**
 * Records the question and moves the case to needs_info. The caller then delivers the question through the
 * reporter's sealed contact, and calls `markInfoUndelivered` if that fails.
 */
export async function requestInfo(
  deps: ModerationDeps,
  input: ActionInput & { question: string },
): Promise<InfoRequestResult> {
  const question = requireText(input.question, textLimits.question);
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockOrFail(trx, input.caseId);
    nextStatus(before.status, "request_info");
    const contact = await findReporterContact(trx, before);
    if (!contact || !before.reporter_id) throw new CaseError("ContactNotAllowed", { ref: before.ref });
    const { to, takenOverFrom } = await guard(trx, deps, before, input, "request_info");
    const now = deps.now?.() ?? new Date();
    const after = await trx
      .updateTable("cases")
      .set({ status: to, assignee_id: input.actorId, assigned_at: now, updated_at: now })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const event = await appendEvent(trx, {
      caseId: before.id,
      actorKind: "staff",
      actorId: input.actorId,
      kind: "info_requested",
      fromStatus: before.status,
      toStatus: to,
      text: question,
    });
    const request = await createInfoRequest(trx, {
      caseId: before.id,
      reporterId: before.reporter_id,
      eventId: event.id,
      askedBy: input.actorId,
    });
    return { before, after, event, takenOverFrom, request, contact };
  });
}

/** The question could not reach the reporter (they blocked the bot, the key is gone): review goes on without it. */
export async function markInfoUndelivered(deps: ModerationDeps, caseId: string, requestId: string): Promise<Case | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockOrFail(trx, caseId);
    await closeRequest(trx, requestId);
    if (before.status !== "needs_info") return undefined;
    const to = nextStatus(before.status, "info_undelivered");
    const after = await trx
      .updateTable("cases")
      .set({ status: to, updated_at: deps.now?.() ?? new Date() })
      .where("id", "=", caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      caseId,
      actorKind: "system",
      actorId: null,
      kind: "info_undelivered",
      fromStatus: before.status,
      toStatus: to,
      data: { requestId },
    });
    return after;
  });
}

/** A note changes no status and needs no hold: anyone on staff may add what they know. */
export async function addNote(deps: ModerationDeps, input: ActionInput & { text: string }): Promise<ActionResult> {
  const text = requireText(input.text, textLimits.note);
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockOrFail(trx, input.caseId);
    const event = await appendEvent(trx, {
      caseId: before.id,
      actorKind: "staff",
      actorId: input.actorId,
      kind: "note",
      text,
    });
    return { before, after: before, event, takenOverFrom: undefined };
  });
}

export interface AnswerPhoto {
  data: Buffer;
  mime: "image/jpeg" | "image/png";
  width: number;
  height: number;
  sha256: string;
  originalSha256: string;
  perceptualHash: string;
  telegramFileUniqueId: string | null;
  takenAt?: Date | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
}

export interface AnswerInput {
  reporterId: string;
  text?: string | undefined;
  photo?: AnswerPhoto | undefined;
  mediaGroupId?: string | undefined;
  replyToMessageId?: number | undefined;
}

export interface AnswerResult {
  case: Case;
  request: InfoRequest;
  /** True for the message that started the answer (the case went back to review). */
  first: boolean;
  photoId: string | undefined;
  event: CaseEvent;
}

/** Finds the question a reporter's message answers, without changing anything. */
export async function pendingQuestion(
  db: Db,
  reporterId: string,
  options: { replyToMessageId?: number | undefined; mediaGroupId?: string | undefined },
): Promise<InfoRequest | undefined> {
  return findAnswerableRequest(db, reporterId, {
    ...(options.replyToMessageId !== undefined ? { replyToMessageId: options.replyToMessageId } : {}),
    ...(options.mediaGroupId ? { mediaGroupId: options.mediaGroupId } : {}),
  });
}

/**
 * Attaches the reporter's answer (text, a photo, or a photo with a caption) to the case. The message that
 * answers an open question brings the case back to review; what follows it closely (album parts, a photo after
 * the text) is added to the case too. Returns undefined when there is no question this message could answer.
 */
export async function receiveInfo(deps: ModerationDeps, input: AnswerInput): Promise<AnswerResult | undefined> {
  const text = input.text?.trim() ? input.text.trim().slice(0, textLimits.answer) : undefined;
  if (!text && !input.photo) return undefined;
  return deps.db.transaction().execute(async (trx) => {
    const request = await findAnswerableRequest(trx, input.reporterId, {
      ...(input.replyToMessageId !== undefined ? { replyToMessageId: input.replyToMessageId } : {}),
      ...(input.mediaGroupId ? { mediaGroupId: input.mediaGroupId } : {}),
    });
    if (!request) return undefined;
    const before = await lockOrFail(trx, request.case_id);
    const first = request.answered_at === null;
    if (before.status !== (first ? "needs_info" : "in_review")) return undefined;
    let photoId: string | undefined;
    if (input.photo) {
      const p = input.photo;
      const existing = p.telegramFileUniqueId
        ? await trx
            .selectFrom("photos")
            .select("id")
            .where("case_id", "=", before.id)
            .where("telegram_file_unique_id", "=", p.telegramFileUniqueId)
            .executeTakeFirst()
        : undefined;
      photoId =
        existing?.id ??
        (
          await trx
            .insertInto("photos")
            .values({
              case_id: before.id,
              source: "needinfo",
              data: p.data,
              mime: p.mime,
              width: p.width,
              height: p.height,
              size_bytes: p.data.length,
              sha256: p.sha256,
              original_sha256: p.originalSha256,
              perceptual_hash: p.perceptualHash,
              telegram_file_unique_id: p.telegramFileUniqueId,
              taken_at: p.takenAt ?? null,
              evidence_latitude: p.latitude ?? null,
              evidence_longitude: p.longitude ?? null,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
    }
    let after = before;
    let to: CaseStatus | null = null;
    if (first) {
      to = nextStatus(before.status, "receive_info");
      after = await trx
        .updateTable("cases")
        .set({ status: to, updated_at: deps.now?.() ?? new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await markRequestAnswered(trx, request.id, input.mediaGroupId ?? null);
      await closeOpenRequests(trx, before.id);
    }
    const event = await appendEvent(trx, {
      caseId: before.id,
      actorKind: "reporter",
      actorId: null,
      kind: "info_received",
      fromStatus: first ? before.status : null,
      toStatus: to,
      text: text ?? null,
      data: { requestId: request.id, ...(photoId ? { photoIds: [photoId] } : {}) },
    });
    return { case: after, request, first, photoId, event };
  });
}

export interface CaseCard {
  case: Case;
  items: CaseItem[];
  photos: PhotoSummary[];
  identifierFlags: IdentifierFlag[];
  photoFlags: PhotoFlag[];
  holder: number | undefined;
  /** The reference of the case this one duplicates. */
  duplicateOfRef: string | undefined;
}

/** Everything a card shows: the case, its items and photos, its links to other cases, who holds it. */
export async function loadCaseCard(deps: ModerationDeps, caseId: string): Promise<CaseCard> {
  const found = await findCaseById(deps.db, caseId);
  if (!found) throw new CaseError("CaseNotFound");
  const [items, photos, original] = await Promise.all([
    listCaseItems(deps.db, caseId),
    listPhotoSummaries(deps.db, caseId),
    found.duplicate_of ? findCaseById(deps.db, found.duplicate_of) : undefined,
  ]);
  // Most reports name no serial number and many carry no photo: their cards need no search of every other case.
  const [idFlags, picFlags] = await Promise.all([
    items.some((item) => isFlaggableIdentifier(item.identifier)) ? identifierFlags(deps.db, caseId) : [],
    photos.length > 0 ? photoFlags(deps.db, caseId, PHOTO_DUPLICATE_DISTANCE) : [],
  ]);
  return {
    case: found,
    items,
    photos,
    identifierFlags: idFlags,
    photoFlags: picFlags,
    holder: activeHolder(found, deps.now?.() ?? new Date(), deps.takeTimeoutHours),
    duplicateOfRef: original?.ref,
  };
}

/** Opening a case is recorded: the log shows who saw what, not only who changed what. */
export async function viewCase(
  deps: ModerationDeps,
  input: { caseId: string; actorId: number },
): Promise<{ card: CaseCard; events: CaseEvent[] }> {
  const card = await loadCaseCard(deps, input.caseId);
  await appendEvent(deps.db, { caseId: input.caseId, actorKind: "staff", actorId: input.actorId, kind: "viewed" });
  const events = await listCaseEvents(deps.db, input.caseId);
  return { card, events };
}

/** The cases whose cards mention this one (same identifier, same photo), so they can be shown the link too. */
export function linkedCaseIds(card: Pick<CaseCard, "identifierFlags" | "photoFlags">): string[] {
  return [...new Set([...card.identifierFlags.map((f) => f.otherCaseId), ...card.photoFlags.map((f) => f.otherCaseId)])];
}

/**
 * Whether an action that still needs its text (a reason, a question, the original's reference) could happen
 * now, with the errors the action itself would raise, so nobody types a reason for something that cannot be done.
 */
export async function checkBeforeText(
  deps: ModerationDeps,
  input: ActionInput & { action: "reject" | "mark_duplicate" | "request_info" | "note" },
): Promise<Case> {
  const current = await getCase(deps.db, input.caseId);
  if (input.action === "note") return current;
  nextStatus(current.status, input.action);
  if (input.action === "request_info" && !(await findReporterContact(deps.db, current))) {
    throw new CaseError("ContactNotAllowed", { ref: current.ref });
  }
  custody(deps, current, input);
  return current;
}

export async function reporterContactOf(db: Db, c: Case): Promise<ReporterContact | undefined> {
  return findReporterContact(db, c);
}
