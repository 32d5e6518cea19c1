import type { SessionData } from "../../context.js";

/** A person files a few reports at most; the newest confirmations are the ones a button can still be pressed on. */
const KEPT = 10;

/**
 * Remembers, in the chat's session, that the person was told their report was sent. The session is written with
 * the update that told them, so a crash before that leaves the report unconfirmed, and the next press of one of
 * its buttons brings the confirmation instead of a passing notice.
 */
export function noteReportConfirmed(session: SessionData, tag: string): void {
  const kept = (session.confirmedReports ?? []).filter((known) => known !== tag);
  kept.push(tag);
  session.confirmedReports = kept.slice(-KEPT);
}

export function wasReportConfirmed(session: SessionData, tag: string): boolean {
  return session.confirmedReports?.includes(tag) ?? false;
}
