import type { Transaction } from "kysely";
import type { Db } from "./connect.js";
import type { ActorKind, CaseEvent, CaseStatus, Database } from "./types.js";

type Executor = Db | Transaction<Database>;

/** Kinds written by moderation and staff administration; intake writes its own (`submitted`, `withdrawn`). */
export const moderationEventKinds = [
  "taken",
  "taken_over",
  "verified",
  "rejected",
  "marked_duplicate",
  "info_requested",
  "info_received",
  "info_undelivered",
  "note",
  "viewed",
  "staff_added",
  "staff_removed",
] as const;
export type ModerationEventKind = (typeof moderationEventKinds)[number];

export interface NewEvent {
  caseId: string | null;
  actorKind: ActorKind;
  actorId: number | null;
  kind: ModerationEventKind;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  text?: string | null;
  data?: Record<string, unknown> | null;
}

/** The audit log only grows: the database refuses UPDATE and DELETE on it. */
export async function appendEvent(db: Executor, event: NewEvent): Promise<CaseEvent> {
  return db
    .insertInto("case_events")
    .values({
      case_id: event.caseId,
      actor_kind: event.actorKind,
      actor_id: event.actorId,
      kind: event.kind,
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus ?? null,
      text: event.text ?? null,
      data: event.data ? JSON.stringify(event.data) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listCaseEvents(db: Executor, caseId: string): Promise<CaseEvent[]> {
  return db.selectFrom("case_events").selectAll().where("case_id", "=", caseId).orderBy("id").execute();
}

/** The latest thing done to the case other than looking at it: what its card says happened last. */
export async function lastCaseAction(db: Executor, caseId: string): Promise<CaseEvent | undefined> {
  return db
    .selectFrom("case_events")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("kind", "!=", "viewed")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}
