import { type Kysely, sql } from "kysely";

// The whole data model in one place. Later changes are new files: a landed migration is never edited.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("staff")
    .addColumn("user_id", "bigint", (c) => c.primaryKey())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('moderator', 'admin')`))
    .addColumn("added_by", "bigint")
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("revoked_at", "timestamptz")
    .execute();

  // A reporter is known only by a keyed hash of their Telegram id; the chat id needed to write back
  // to those who allowed contact is kept encrypted. No name, username or clear id is ever stored.
  await db.schema
    .createTable("reporters")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("pseudonym", "text", (c) => c.notNull().unique())
    .addColumn("contact_chat_enc", "text")
    .addColumn("contact_key_id", "text")
    .addColumn("locale", "text", (c) => c.notNull().check(sql`locale in ('uk', 'en')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "reporters_contact_key_check",
      sql`(contact_chat_enc is null) = (contact_key_id is null)`,
    )
    .execute();

  // Answers of a report in progress, saved step by step so nothing typed is lost to a crash or a deploy.
  await db.schema
    .createTable("drafts")
    .addColumn("draft_key", "text", (c) => c.primaryKey())
    .addColumn("reporter_id", "uuid", (c) => c.notNull().references("reporters.id").onDelete("cascade"))
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("answers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("drafts_reporter_idx").on("drafts").column("reporter_id").execute();
  await db.schema.createIndex("drafts_updated_idx").on("drafts").column("updated_at").execute();

  await db.schema
    .createTable("cases")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("ref", "text", (c) => c.notNull().unique())
    .addColumn("draft_key", "text", (c) => c.notNull().unique())
    .addColumn("reporter_id", "uuid", (c) => c.references("reporters.id").onDelete("set null"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('victim', 'witness', 'trafficking')`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("new")
        .check(
          sql`status in ('new', 'in_review', 'needs_info', 'verified', 'rejected', 'duplicate', 'withdrawn')`,
        ),
    )
    .addColumn("incident_date", "date")
    .addColumn("incident_date_precision", "text", (c) =>
      c.notNull().check(sql`incident_date_precision in ('day', 'month', 'unknown')`),
    )
    .addColumn("latitude", "double precision", (c) => c.check(sql`latitude between -90 and 90`))
    .addColumn("longitude", "double precision", (c) => c.check(sql`longitude between -180 and 180`))
    .addColumn("address", "text")
    .addColumn("region", "text")
    .addColumn("perpetrator_units", "text")
    .addColumn("perpetrator_vehicles", "text")
    .addColumn("perpetrator_count", "integer", (c) => c.check(sql`perpetrator_count > 0`))
    .addColumn("perpetrator_words", "text")
    .addColumn("narrative", "text", (c) => c.check(sql`length(narrative) <= 4000`))
    .addColumn("contact_allowed", "boolean", (c) => c.notNull())
    .addColumn("consent_version", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull().check(sql`locale in ('uk', 'en')`))
    .addColumn("assignee_id", "bigint", (c) => c.references("staff.user_id"))
    .addColumn("assigned_at", "timestamptz")
    .addColumn("duplicate_of", "uuid", (c) => c.references("cases.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("submitted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("cases_coordinates_pair", sql`(latitude is null) = (longitude is null)`)
    .addCheckConstraint(
      "cases_date_precision",
      sql`(incident_date is null) = (incident_date_precision = 'unknown')`,
    )
    .addCheckConstraint("cases_has_place", sql`latitude is not null or address is not null or region is not null`)
    .execute();
  await db.schema.createIndex("cases_status_submitted_idx").on("cases").columns(["status", "submitted_at"]).execute();
  await db.schema.createIndex("cases_reporter_idx").on("cases").column("reporter_id").execute();

  await db.schema
    .createTable("case_items")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position between 1 and 50`))
    .addColumn("category", "text", (c) =>
      c
        .notNull()
        .check(
          sql`category in ('electronics', 'appliances', 'vehicle', 'jewellery', 'cash', 'documents', 'clothing', 'furniture', 'tools', 'food_alcohol', 'other')`,
        ),
    )
    .addColumn("description", "text", (c) => c.notNull().check(sql`length(description) between 1 and 1000`))
    .addColumn("quantity", "integer", (c) => c.notNull().defaultTo(1).check(sql`quantity between 1 and 1000000`))
    .addColumn("value_amount", "numeric(14, 2)", (c) => c.check(sql`value_amount >= 0`))
    .addColumn("value_currency", "text", (c) => c.check(sql`value_currency in ('UAH', 'USD', 'EUR')`))
    .addColumn("identifier", "text")
    .addColumn("identifier_kind", "text", (c) => c.check(sql`identifier_kind in ('serial', 'imei', 'vin')`))
    .addColumn("identifier_valid", "boolean")
    .addUniqueConstraint("case_items_position_unique", ["case_id", "position"])
    .addCheckConstraint("case_items_value_pair", sql`(value_amount is null) = (value_currency is null)`)
    .addCheckConstraint("case_items_identifier_pair", sql`(identifier is null) = (identifier_kind is null)`)
    .execute();
  await db.schema.createIndex("case_items_identifier_idx").on("case_items").column("identifier").execute();

  await db.schema
    .createTable("photos")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("case_id", "uuid", (c) => c.references("cases.id").onDelete("cascade"))
    .addColumn("draft_key", "text")
    .addColumn("source", "text", (c) => c.notNull().defaultTo("intake").check(sql`source in ('intake', 'needinfo')`))
    .addColumn("data", "bytea")
    .addColumn("mime", "text", (c) => c.notNull().check(sql`mime in ('image/jpeg', 'image/png')`))
    .addColumn("width", "integer", (c) => c.notNull().check(sql`width > 0`))
    .addColumn("height", "integer", (c) => c.notNull().check(sql`height > 0`))
    .addColumn("size_bytes", "integer", (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("original_sha256", "text", (c) => c.notNull().check(sql`original_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("perceptual_hash", "text", (c) => c.notNull().check(sql`perceptual_hash ~ '^[0-9a-f]{16}$'`))
    .addColumn("telegram_file_unique_id", "text")
    .addColumn("taken_at", "timestamptz")
    .addColumn("evidence_latitude", "double precision")
    .addColumn("evidence_longitude", "double precision")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("data_deleted_at", "timestamptz")
    .addCheckConstraint("photos_owner", sql`case_id is not null or draft_key is not null`)
    .addCheckConstraint("photos_data_or_deleted", sql`(data is null) = (data_deleted_at is not null)`)
    .execute();
  // A photo delivered twice (a redelivered update, a retried album) is stored once per report.
  await db.schema
    .createIndex("photos_draft_file_unique")
    .on("photos")
    .columns(["draft_key", "telegram_file_unique_id"])
    .unique()
    .execute();
  await db.schema.createIndex("photos_case_idx").on("photos").column("case_id").execute();
  await db.schema.createIndex("photos_phash_idx").on("photos").column("perceptual_hash").execute();

  // The audit log. Exports and staff changes concern no single case, so case_id may be empty for them.
  await db.schema
    .createTable("case_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("case_id", "uuid", (c) => c.references("cases.id"))
    .addColumn("actor_kind", "text", (c) => c.notNull().check(sql`actor_kind in ('reporter', 'staff', 'system')`))
    .addColumn("actor_id", "bigint")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text")
    .addColumn("text", "text")
    .addColumn("data", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "case_events_staff_actor",
      sql`(actor_kind = 'staff') = (actor_id is not null)`,
    )
    .addCheckConstraint(
      "case_events_scope",
      sql`case_id is not null or kind in ('exported', 'staff_added', 'staff_removed', 'keys_rotated')`,
    )
    .execute();
  await db.schema.createIndex("case_events_case_idx").on("case_events").columns(["case_id", "id"]).execute();

  await sql`
    create function case_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger case_events_no_update_delete
    before update or delete on case_events
    for each row execute function case_events_append_only()`.execute(db);
  await sql`
    create trigger case_events_no_truncate
    before truncate on case_events
    for each statement execute function case_events_append_only()`.execute(db);

  await db.schema
    .createTable("bot_storage")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["bot_storage", "case_events", "photos", "case_items", "cases", "drafts", "reporters", "staff"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop function if exists case_events_append_only()`.execute(db);
}
