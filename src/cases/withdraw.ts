import type { Db } from "../db/connect.js";
import { insertReporterEvent } from "../db/cases.js";
import type { CaseStatus } from "../db/types.js";
import { canTransition, nextStatus } from "./transitions.js";

export function canWithdraw(status: CaseStatus): boolean {
  return canTransition(status, "withdraw");
}

export type WithdrawResult =
  | { kind: "withdrawn"; caseId: string; ref: string; from: CaseStatus }
  | { kind: "not_found" }
  | { kind: "not_allowed"; status: CaseStatus };

/** Status change and audit event in one transaction, on a case that must belong to the reporter. */
export async function withdrawCase(db: Db, pseudonym: string, ref: string): Promise<WithdrawResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("cases")
      .innerJoin("reporters", "reporters.id", "cases.reporter_id")
      .select(["cases.id", "cases.ref", "cases.status"])
      .where("reporters.pseudonym", "=", pseudonym)
      .where("cases.ref", "=", ref)
      .forUpdate("cases")
      .executeTakeFirst();
    if (!row) return { kind: "not_found" };
    if (!canWithdraw(row.status)) return { kind: "not_allowed", status: row.status };
    const to = nextStatus(row.status, "withdraw");
    await trx.updateTable("cases").set({ status: to, updated_at: new Date() }).where("id", "=", row.id).execute();
    await insertReporterEvent(trx, { caseId: row.id, kind: "withdrawn", fromStatus: row.status, toStatus: to });
    return { kind: "withdrawn", caseId: row.id, ref: row.ref, from: row.status };
  });
}
