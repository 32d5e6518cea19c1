import { type Kysely, sql } from "kysely";

// State the moderation feature keeps between updates, in tables rather than in memory or sessions, so any
// bot process can carry on what another one started.
export async function up(db: Kysely<any>): Promise<void> {
  // Staff are accountable: their name as Telegram shows it is kept so cards and logs say who acted.
  await db.schema.alterTable("staff").addColumn("display_name", "text").execute();

  // The card posted in the moderators' group for each case, so any later action can edit it. A row without
  // a message id is a claim: the process that inserted it is posting the card.
  await db.schema
    .createTable("moderation_cards")
    .addColumn("case_id", "uuid", (c) => c.primaryKey().references("cases.id").onDelete("cascade"))
    .addColumn("chat_id", "bigint", (c) => c.notNull())
    .addColumn("message_id", "integer")
    .addColumn("claimed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("posted_at", "timestamptz")
    // When the card last showed the case: a case changed since (a reporter withdrew it) gets its card redrawn.
    .addColumn("rendered_at", "timestamptz")
    .addCheckConstraint("moderation_cards_posted", sql`(message_id is null) = (posted_at is null)`)
    .execute();

  // A question the bot asked a moderator (the reason for a rejection, the text of a note...) and is waiting
  // for as a reply to that message. Only the moderator who was asked can answer it, once.
  await db.schema
    .createTable("moderation_prompts")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("chat_id", "bigint", (c) => c.notNull())
    .addColumn("message_id", "integer", (c) => c.notNull())
    .addColumn("staff_id", "bigint", (c) => c.notNull().references("staff.user_id"))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("action", "text", (c) => c.notNull().check(sql`action in ('reject', 'request_info', 'mark_duplicate', 'note')`))
    .addColumn("takeover", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("used_at", "timestamptz")
    .addUniqueConstraint("moderation_prompts_message_unique", ["chat_id", "message_id"])
    .execute();

  // A moderator's question to a reporter. The reporter's next message outside a report answers it.
  await db.schema
    .createTable("info_requests")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("reporter_id", "uuid", (c) => c.notNull().references("reporters.id").onDelete("cascade"))
    // Not a foreign key: nothing may reference the audit log in a way that changes how it can be guarded.
    .addColumn("event_id", "bigint", (c) => c.notNull())
    .addColumn("asked_by", "bigint", (c) => c.notNull().references("staff.user_id"))
    .addColumn("asked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("question_message_id", "integer")
    .addColumn("answered_at", "timestamptz")
    // The parts of an album arrive as separate messages; all of them belong to the same answer.
    .addColumn("answer_media_group", "text")
    // Closed without an answer: the case was decided meanwhile, or the question never reached the reporter.
    .addColumn("closed_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("info_requests_pending_idx")
    .on("info_requests")
    .columns(["reporter_id", "asked_at"])
    .where(sql<boolean>`answered_at is null and closed_at is null`)
    .execute();
  await db.schema.createIndex("info_requests_case_idx").on("info_requests").column("case_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("info_requests").ifExists().execute();
  await db.schema.dropTable("moderation_prompts").ifExists().execute();
  await db.schema.dropTable("moderation_cards").ifExists().execute();
  await db.schema.alterTable("staff").dropColumn("display_name").execute();
}
