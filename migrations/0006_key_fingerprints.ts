import { type Kysely, sql } from "kysely";

// What each configured key looked like when this database first ran, so a process started with another key
// refuses to run instead of filing everyone's reports under pseudonyms nobody can find again. A fingerprint
// is a keyed hash of a fixed text: it tells whether two keys are the same, never what a key is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("key_fingerprints")
    .addColumn("purpose", "text", (c) => c.primaryKey().check(sql`purpose in ('pseudonym')`))
    .addColumn("fingerprint", "text", (c) => c.notNull().check(sql`fingerprint ~ '^[0-9a-f]{32}$'`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("key_fingerprints").ifExists().execute();
}
