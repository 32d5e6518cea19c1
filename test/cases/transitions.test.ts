import { describe, expect, it } from "vitest";
import {
  availableActions,
  CaseError,
  canTransition,
  isFinal,
  nextStatus,
  type TransitionAction,
  transitionActions,
} from "../../src/cases/transitions.js";
import { caseStatuses, type CaseStatus } from "../../src/db/types.js";

// The whole graph written out once more, as a reader of the design would: every pair not listed is refused.
const allowed: [CaseStatus, TransitionAction, CaseStatus][] = [
  ["new", "take", "in_review"],
  ["in_review", "take", "in_review"],
  ["needs_info", "take", "needs_info"],
  ["in_review", "verify", "verified"],
  ["needs_info", "verify", "verified"],
  ["in_review", "reject", "rejected"],
  ["needs_info", "reject", "rejected"],
  ["in_review", "mark_duplicate", "duplicate"],
  ["needs_info", "mark_duplicate", "duplicate"],
  ["in_review", "request_info", "needs_info"],
  ["needs_info", "request_info", "needs_info"],
  ["needs_info", "receive_info", "in_review"],
  ["needs_info", "info_undelivered", "in_review"],
  ["new", "withdraw", "withdrawn"],
  ["in_review", "withdraw", "withdrawn"],
  ["needs_info", "withdraw", "withdrawn"],
  ["rejected", "withdraw", "withdrawn"],
  ["duplicate", "withdraw", "withdrawn"],
];

describe("case status transitions", () => {
  for (const from of caseStatuses) {
    for (const action of transitionActions) {
      const expected = allowed.find(([f, a]) => f === from && a === action)?.[2];
      it(`${action} on a ${from} case ${expected ? `→ ${expected}` : "is refused"}`, () => {
        if (expected) {
          expect(nextStatus(from, action)).toBe(expected);
          expect(canTransition(from, action)).toBe(true);
        } else {
          let thrown: unknown;
          try {
            nextStatus(from, action);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(CaseError);
          expect((thrown as CaseError).code).toBe("TransitionNotAllowed");
          expect((thrown as CaseError).details).toMatchObject({ from, action });
          expect(canTransition(from, action)).toBe(false);
        }
      });
    }
  }

  it("refuses to verify a withdrawn case, saying why", () => {
    expect(() => nextStatus("withdrawn", "verify")).toThrow(/verify is not allowed on a case that is withdrawn/);
  });

  it("lets nothing leave verified or withdrawn", () => {
    expect(availableActions("verified")).toEqual([]);
    expect(availableActions("withdrawn")).toEqual([]);
  });

  it("asks for a case to be taken before any decision", () => {
    expect(availableActions("new")).toEqual(["take", "withdraw"]);
  });

  it("knows which statuses are final", () => {
    expect(caseStatuses.filter(isFinal)).toEqual(["verified", "rejected", "duplicate", "withdrawn"]);
  });
});
