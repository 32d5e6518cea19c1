import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date as `YYYY-MM-DD`: both drivers are told to return dates as text, never as a shifted Date. */
type DateText = string;
type Json<T> = ColumnType<T, string, string>;

export const caseStatuses = [
  "new",
  "in_review",
  "needs_info",
  "verified",
  "rejected",
  "duplicate",
  "withdrawn",
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const reporterRoles = ["victim", "witness", "trafficking"] as const;
export type ReporterRole = (typeof reporterRoles)[number];

export const itemCategories = [
  "electronics",
  "appliances",
  "vehicle",
  "jewellery",
  "cash",
  "documents",
  "clothing",
  "furniture",
  "tools",
  "food_alcohol",
  "other",
] as const;
export type ItemCategory = (typeof itemCategories)[number];

export const currencies = ["UAH", "USD", "EUR"] as const;
export type Currency = (typeof currencies)[number];

export const identifierKinds = ["serial", "imei", "vin"] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

export const datePrecisions = ["day", "month", "unknown"] as const;
export type DatePrecision = (typeof datePrecisions)[number];

export const locales = ["uk", "en"] as const;
export type Locale = (typeof locales)[number];

export const staffRoles = ["moderator", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

export type ActorKind = "reporter" | "staff" | "system";

export interface StaffTable {
  user_id: number;
  role: StaffRole;
  added_by: number | null;
  added_at: Generated<Date>;
  revoked_at: Date | null;
  display_name: string | null;
}

export interface ReportersTable {
  id: Generated<string>;
  pseudonym: string;
  contact_chat_enc: string | null;
  contact_key_id: string | null;
  locale: Locale;
  created_at: Generated<Date>;
}

export interface DraftsTable {
  draft_key: string;
  reporter_id: string;
  step: string;
  answers: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CasesTable {
  id: Generated<string>;
  ref: string;
  draft_key: string;
  reporter_id: string | null;
  role: ReporterRole;
  status: Generated<CaseStatus>;
  incident_date: DateText | null;
  incident_date_precision: DatePrecision;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  region: string | null;
  perpetrator_units: string | null;
  perpetrator_vehicles: string | null;
  perpetrator_count: number | null;
  perpetrator_words: string | null;
  narrative: string | null;
  contact_allowed: boolean;
  consent_version: string;
  locale: Locale;
  assignee_id: number | null;
  assigned_at: Date | null;
  duplicate_of: string | null;
  created_at: Generated<Date>;
  submitted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaseItemsTable {
  id: Generated<string>;
  case_id: string;
  position: number;
  category: ItemCategory;
  description: string;
  quantity: Generated<number>;
  /** numeric(14,2) as exact decimal text, never a float. */
  value_amount: string | null;
  value_currency: Currency | null;
  identifier: string | null;
  identifier_kind: IdentifierKind | null;
  identifier_valid: boolean | null;
}

export interface PhotosTable {
  id: Generated<string>;
  case_id: string | null;
  draft_key: string | null;
  source: Generated<"intake" | "needinfo">;
  data: Buffer | null;
  mime: "image/jpeg" | "image/png";
  width: number;
  height: number;
  size_bytes: number;
  sha256: string;
  original_sha256: string;
  perceptual_hash: string;
  telegram_file_unique_id: string | null;
  taken_at: Date | null;
  evidence_latitude: number | null;
  evidence_longitude: number | null;
  created_at: Generated<Date>;
  data_deleted_at: Date | null;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: string | null;
  actor_kind: ActorKind;
  actor_id: number | null;
  kind: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  text: string | null;
  data: Json<Record<string, unknown>> | null;
  created_at: Generated<Date>;
}

export interface BotStorageTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

export interface ModerationCardsTable {
  case_id: string;
  chat_id: number;
  message_id: number | null;
  claimed_at: Generated<Date>;
  posted_at: Date | null;
  rendered_at: Date | null;
}

export const promptActions = ["reject", "request_info", "mark_duplicate", "note"] as const;
export type PromptAction = (typeof promptActions)[number];

export interface ModerationPromptsTable {
  id: Generated<number>;
  chat_id: number;
  message_id: number;
  staff_id: number;
  case_id: string;
  action: PromptAction;
  takeover: Generated<boolean>;
  created_at: Generated<Date>;
  used_at: Date | null;
}

export interface InfoRequestsTable {
  id: Generated<string>;
  case_id: string;
  reporter_id: string;
  event_id: number;
  asked_by: number;
  asked_at: Generated<Date>;
  question_message_id: number | null;
  answered_at: Date | null;
  answer_media_group: string | null;
  closed_at: Date | null;
}

export interface Database {
  staff: StaffTable;
  reporters: ReportersTable;
  drafts: DraftsTable;
  cases: CasesTable;
  case_items: CaseItemsTable;
  photos: PhotosTable;
  case_events: CaseEventsTable;
  bot_storage: BotStorageTable;
  moderation_cards: ModerationCardsTable;
  moderation_prompts: ModerationPromptsTable;
  info_requests: InfoRequestsTable;
}

export type Staff = Selectable<StaffTable>;
export type Reporter = Selectable<ReportersTable>;
export type Draft = Selectable<DraftsTable>;
export type Case = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type CaseItem = Selectable<CaseItemsTable>;
export type NewCaseItem = Insertable<CaseItemsTable>;
export type Photo = Selectable<PhotosTable>;
export type NewPhoto = Insertable<PhotosTable>;
export type CaseEvent = Selectable<CaseEventsTable>;
export type NewCaseEvent = Insertable<CaseEventsTable>;
