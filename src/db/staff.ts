import type { Transaction } from "kysely";
import { appendEvent } from "./case-events.js";
import type { Db } from "./connect.js";
import type { Database, Staff, StaffRole } from "./types.js";

type Executor = Db | Transaction<Database>;

/** Staff who may act now: a revoked member is no longer staff, whatever their role was. */
export async function findActiveStaff(db: Executor, userId: number): Promise<Staff | undefined> {
  return db
    .selectFrom("staff")
    .selectAll()
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}

export async function findStaff(db: Executor, userId: number): Promise<Staff | undefined> {
  return db.selectFrom("staff").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function listActiveStaff(db: Executor): Promise<Staff[]> {
  return db
    .selectFrom("staff")
    .selectAll()
    .where("revoked_at", "is", null)
    .orderBy("role")
    .orderBy("added_at")
    .execute();
}

export async function displayNames(db: Executor, userIds: number[]): Promise<Map<number, string | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("staff")
    .select(["user_id", "display_name"])
    .where("user_id", "in", [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.display_name]));
}

/** Kept current as staff act, so cards name people as Telegram shows them today. */
export async function rememberDisplayName(db: Executor, userId: number, name: string): Promise<void> {
  await db
    .updateTable("staff")
    .set({ display_name: name })
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("display_name", "is", null), eb("display_name", "!=", name)]))
    .execute();
}

export interface StaffChange {
  previousRole: StaffRole | null;
  role: StaffRole;
}

/**
 * Makes the person active staff with this role, re-activating a revoked member. Returns what changed,
 * or undefined when they already were active staff with this role.
 */
export async function upsertStaff(
  db: Executor,
  userId: number,
  role: StaffRole,
  addedBy: number | null,
): Promise<StaffChange | undefined> {
  const existing = await db.selectFrom("staff").selectAll().where("user_id", "=", userId).forUpdate().executeTakeFirst();
  if (existing && existing.revoked_at === null && existing.role === role) return undefined;
  if (existing) {
    await db
      .updateTable("staff")
      .set({ role, added_by: addedBy, added_at: new Date(), revoked_at: null })
      .where("user_id", "=", userId)
      .execute();
  } else {
    await db.insertInto("staff").values({ user_id: userId, role, added_by: addedBy }).execute();
  }
  return { previousRole: existing && existing.revoked_at === null ? existing.role : null, role };
}

/** Returns the role the person had, or undefined when they were not active staff. */
export async function revokeStaff(db: Executor, userId: number): Promise<StaffRole | undefined> {
  const row = await db
    .updateTable("staff")
    .set({ revoked_at: new Date() })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .returning("role")
    .executeTakeFirst();
  return row?.role;
}

export type StaffActor = { kind: "staff"; userId: number } | { kind: "system" };

/** Grants a role and writes `staff_added` in the same transaction; undefined when nothing changed. */
export async function grantRole(
  db: Db,
  actor: StaffActor,
  userId: number,
  role: StaffRole,
): Promise<StaffChange | undefined> {
  return db.transaction().execute(async (trx) => {
    const change = await upsertStaff(trx, userId, role, actor.kind === "staff" ? actor.userId : null);
    if (change) {
      await appendEvent(trx, {
        caseId: null,
        actorKind: actor.kind,
        actorId: actor.kind === "staff" ? actor.userId : null,
        kind: "staff_added",
        data: { userId, role, previousRole: change.previousRole },
      });
    }
    return change;
  });
}

/** Revokes and writes `staff_removed` in the same transaction; undefined when the person was not staff. */
export async function removeStaff(db: Db, actorId: number, userId: number): Promise<StaffRole | undefined> {
  return db.transaction().execute(async (trx) => {
    const role = await revokeStaff(trx, userId);
    if (role) {
      await appendEvent(trx, {
        caseId: null,
        actorKind: "staff",
        actorId,
        kind: "staff_removed",
        data: { userId, role },
      });
    }
    return role;
  });
}

/** `ADMIN_IDS` is the root of trust: at every start each of them is made an active admin again. */
export async function seedAdmins(db: Db, adminIds: readonly number[]): Promise<number> {
  let changed = 0;
  for (const userId of adminIds) {
    if (await grantRole(db, { kind: "system" }, userId, "admin")) changed++;
  }
  return changed;
}
