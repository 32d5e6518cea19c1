import { caseStatuses, type CaseStatus } from "../../../db/types.js";

/**
 * Callback data of staff buttons. It carries a case id and an action, nothing else: who may do it is decided
 * again on every press, so a forged or replayed button can do no more than the person pressing it may.
 * Telegram caps callback data at 64 bytes; the longest here is 40.
 */
export const caseActions = {
  take: "t",
  verify: "v",
  reject: "r",
  request_info: "i",
  mark_duplicate: "d",
  note: "n",
  details: "c",
  /** Confirmed takeover of a case held by another moderator, then the action. */
  takeover_take: "T",
  takeover_verify: "V",
  takeover_reject: "R",
  takeover_request_info: "I",
  takeover_mark_duplicate: "D",
  /** Dismisses a takeover confirmation. */
  dismiss: "x",
} as const;
export type CaseAction = keyof typeof caseActions;

const actionByCode = new Map<string, CaseAction>(
  Object.entries(caseActions).map(([action, code]) => [code, action as CaseAction]),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CASE_PREFIX = "m";

export interface CaseButton {
  action: CaseAction;
  caseId: string;
}

export function packCaseButton(button: CaseButton): string {
  if (!UUID.test(button.caseId)) throw new Error(`Expected a lower-case uuid for caseId but received ${button.caseId}`);
  return `${CASE_PREFIX}:${caseActions[button.action]}:${button.caseId}`;
}

/** Undefined for anything that is not exactly what packCaseButton makes. */
export function unpackCaseButton(data: string | undefined): CaseButton | undefined {
  if (!data || data.length > 64) return undefined;
  const parts = data.split(":");
  if (parts.length !== 3 || parts[0] !== CASE_PREFIX) return undefined;
  const action = actionByCode.get(parts[1]!);
  const caseId = parts[2]!;
  if (!action || !UUID.test(caseId)) return undefined;
  return { action, caseId };
}

export const caseButtonPattern = /^m:/;

/** Which cases a queue page lists: one status, or every case still waiting for a decision. */
export type QueueFilter = CaseStatus | "open";
export const openStatuses: readonly CaseStatus[] = ["new", "in_review", "needs_info"];
const QUEUE_PREFIX = "q";
const MAX_QUEUE_OFFSET = 1_000_000;

export interface QueueButton {
  filter: QueueFilter;
  offset: number;
}

export function packQueueButton(button: QueueButton): string {
  return `${QUEUE_PREFIX}:${button.filter}:${button.offset}`;
}

export function unpackQueueButton(data: string | undefined): QueueButton | undefined {
  if (!data || data.length > 64) return undefined;
  const parts = data.split(":");
  if (parts.length !== 3 || parts[0] !== QUEUE_PREFIX) return undefined;
  const filter = parts[1]!;
  if (filter !== "open" && !(caseStatuses as readonly string[]).includes(filter)) return undefined;
  if (!/^\d{1,7}$/.test(parts[2]!)) return undefined;
  const offset = Number(parts[2]);
  if (offset > MAX_QUEUE_OFFSET) return undefined;
  return { filter: filter as QueueFilter, offset };
}

export const queueButtonPattern = /^q:/;
