import type { CaseStatus } from "../db/types.js";

/**
 * Everything that can happen to a case's status, by whom it is done. Notes and views change no status and
 * are allowed on every case, so they are not listed here.
 */
export const transitionActions = [
  "take",
  "verify",
  "reject",
  "mark_duplicate",
  "request_info",
  "receive_info",
  "info_undelivered",
  "withdraw",
] as const;
export type TransitionAction = (typeof transitionActions)[number];

/**
 * The status graph: new → in_review → verified | rejected | duplicate, in_review ⇄ needs_info, withdrawn by
 * the reporter. A decision needs someone to have taken the case first, so nobody verifies what nobody
 * reviewed. A case waiting for an answer may still be decided: otherwise a silent reporter would leave it
 * stuck. A verified case stays with investigators and cannot be withdrawn (the reporter can still erase
 * what links it to them).
 */
const graph: Record<TransitionAction, Partial<Record<CaseStatus, CaseStatus>>> = {
  take: { new: "in_review", in_review: "in_review", needs_info: "needs_info" },
  verify: { in_review: "verified", needs_info: "verified" },
  reject: { in_review: "rejected", needs_info: "rejected" },
  mark_duplicate: { in_review: "duplicate", needs_info: "duplicate" },
  request_info: { in_review: "needs_info", needs_info: "needs_info" },
  receive_info: { needs_info: "in_review" },
  info_undelivered: { needs_info: "in_review" },
  withdraw: {
    new: "withdrawn",
    in_review: "withdrawn",
    needs_info: "withdrawn",
    rejected: "withdrawn",
    duplicate: "withdrawn",
  },
};

export const finalStatuses: readonly CaseStatus[] = ["verified", "rejected", "duplicate", "withdrawn"];

export type CaseErrorCode =
  | "CaseNotFound"
  | "TransitionNotAllowed"
  /** Another moderator holds the case: acting needs an explicit takeover. */
  | "HeldByAnother"
  /** The reporter did not allow follow-up questions, or has erased their contact. */
  | "ContactNotAllowed"
  /** A case cannot be a duplicate of itself, of a missing case, or of a withdrawn one. */
  | "InvalidDuplicateTarget"
  | "TextRequired"
  | "TextTooLong";

export interface CaseErrorDetails {
  ref?: string;
  from?: CaseStatus;
  action?: TransitionAction;
  holderId?: number;
  heldSince?: Date;
  limit?: number;
}

/** Domain errors carry a code to branch on and details to explain; the edge translates them. */
export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    readonly details: CaseErrorDetails = {},
  ) {
    super(describe(code, details));
    this.name = "CaseError";
  }
}

function describe(code: CaseErrorCode, d: CaseErrorDetails): string {
  switch (code) {
    case "TransitionNotAllowed":
      return `${d.action ?? "action"} is not allowed on a case that is ${d.from ?? "in this status"}`;
    case "HeldByAnother":
      return "the case is held by another moderator";
    default:
      return code;
  }
}

/** The status a case moves to, or a TransitionNotAllowed error naming where it is and what was tried. */
export function nextStatus(from: CaseStatus, action: TransitionAction): CaseStatus {
  const to = graph[action][from];
  if (!to) throw new CaseError("TransitionNotAllowed", { from, action });
  return to;
}

export function canTransition(from: CaseStatus, action: TransitionAction): boolean {
  return graph[action][from] !== undefined;
}

/** Actions that make sense on a case in this status, in the order buttons show them. */
export function availableActions(status: CaseStatus): TransitionAction[] {
  return transitionActions.filter((action) => canTransition(status, action));
}

export function isFinal(status: CaseStatus): boolean {
  return finalStatuses.includes(status);
}
