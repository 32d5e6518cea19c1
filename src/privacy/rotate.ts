import { sql } from "kysely";
import type { Db } from "../db/connect.js";
import { openContact, sealContact } from "./contact-cipher.js";
import type { Keys } from "./keys.js";
import { openState, sealState } from "./sealed-state.js";

export interface RotationResult {
  /** Id of the data key everything is sealed with now. */
  keyId: string;
  /** Ids of the keys values were sealed with before. */
  fromKeyIds: string[];
  contacts: number;
  conversations: number;
  /** Conversation states nobody could read (not sealed, or sealed with a key no longer configured): dropped. */
  conversationsDropped: number;
}

export class RotationError extends Error {
  readonly code = "ROTATION_FAILED";
}

/**
 * Re-seals every sealed value under the current DATA_KEY: reporters' contacts, then the conversation states
 * kept in sessions. Rows are taken in batches, each in its own short transaction; each row is rewritten only if
 * it still holds what was read, so bot processes may keep running (they must already have the new DATA_KEY,
 * with the old one in DATA_KEYS_PREVIOUS). Running it twice is harmless; the second run finds nothing to do.
 * The audit log records the rotation: key ids and counts, never a key.
 */
export async function rotateDataKey(db: Db, keys: Keys, options: { batchSize?: number } = {}): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  const current = keys.dataKey.id;
  const result: RotationResult = { keyId: current, fromKeyIds: [], contacts: 0, conversations: 0, conversationsDropped: 0 };
  const noteFrom = (id: string) => {
    if (!result.fromKeyIds.includes(id)) result.fromKeyIds.push(id);
  };

  for (;;) {
    const rewritten = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("reporters")
        .select(["id", "contact_chat_enc", "contact_key_id"])
        .where("contact_key_id", "is not", null)
        .where("contact_key_id", "!=", current)
        .orderBy("id")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        let chatId: number;
        try {
          chatId = openContact({ sealed: row.contact_chat_enc!, keyId: row.contact_key_id! }, keys);
        } catch (error) {
          throw new RotationError(
            `a contact sealed with key id ${row.contact_key_id} could not be opened (${(error as Error).message}); nothing in this batch was changed`,
          );
        }
        const sealed = sealContact(chatId, keys.dataKey);
        await trx
          .updateTable("reporters")
          .set({ contact_chat_enc: sealed.sealed, contact_key_id: sealed.keyId })
          .where("id", "=", row.id)
          .where("contact_chat_enc", "=", row.contact_chat_enc)
          .execute();
        noteFrom(row.contact_key_id!);
      }
      return rows.length;
    });
    result.contacts += rewritten;
    if (rewritten < batchSize) break;
  }

  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("bot_storage")
      .select(["key", sql<unknown>`value -> 'conversations'`.as("state")])
      .where("key", "like", "session:%")
      .where("key", ">", after)
      .where(sql<boolean>`value ? 'conversations'`)
      .where(sql<boolean>`(value -> 'conversations' ->> 'k') is distinct from ${current}`)
      .orderBy("key")
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const stored = JSON.stringify(row.state);
      const opened = openState<unknown>(row.state, keys);
      const update = db
        .updateTable("bot_storage")
        .where("key", "=", row.key)
        .where(sql<boolean>`value -> 'conversations' = ${stored}::jsonb`);
      if (opened === undefined) {
        const done = await update.set({ value: sql`value - 'conversations'` }).executeTakeFirst();
        result.conversationsDropped += Number(done.numUpdatedRows);
        continue;
      }
      const resealed = JSON.stringify(sealState(opened, keys.dataKey));
      const done = await update
        .set({ value: sql`jsonb_set(value, '{conversations}', ${resealed}::jsonb)` })
        .executeTakeFirst();
      result.conversations += Number(done.numUpdatedRows);
      const k = (row.state as { k?: unknown }).k;
      if (typeof k === "string") noteFrom(k);
    }
    if (rows.length < batchSize) break;
    after = rows.at(-1)!.key;
  }

  await db
    .insertInto("case_events")
    .values({
      case_id: null,
      actor_kind: "system",
      actor_id: null,
      kind: "keys_rotated",
      data: JSON.stringify(result),
    })
    .execute();
  return result;
}
