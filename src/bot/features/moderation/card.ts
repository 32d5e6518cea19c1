import { InlineKeyboard } from "grammy";
import type { CaseCard } from "../../../cases/moderation.js";
import { isRegionCode } from "../../../cases/regions.js";
import { isFinal } from "../../../cases/transitions.js";
import type { Case, CaseEvent, CaseItem, CaseStatus, Locale } from "../../../db/types.js";
import type { Translate } from "../../i18n.js";
import { type CaseAction, packCaseButton } from "./callback-data.js";

/** Telegram refuses messages over 4096 characters; cards stay under this to leave room for edits. */
export const MAX_MESSAGE_LENGTH = 4000;
const TIME_ZONE = "Europe/Kyiv";

const statusEmoji: Record<CaseStatus, string> = {
  new: "🆕",
  in_review: "🔎",
  needs_info: "❓",
  verified: "✅",
  rejected: "⛔",
  duplicate: "🔁",
  withdrawn: "↩️",
};

export type StaffNames = ReadonlyMap<number, string | null>;

export function staffName(names: StaffNames, userId: number): string {
  return names.get(userId) ?? `#${userId}`;
}

export function formatTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "uk" ? "uk-UA" : "en-GB", {
    timeZone: TIME_ZONE,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

export function statusLabel(t: Translate, status: CaseStatus): string {
  return t(`moderation-status-${status}`);
}

export function regionLabel(t: Translate, region: string | null): string | undefined {
  if (!region) return undefined;
  if (!isRegionCode(region)) return region;
  const name = t(`intake-region-${region}`);
  return name.startsWith("{") ? region : name;
}

function incidentDate(t: Translate, c: Case): string {
  if (!c.incident_date || c.incident_date_precision === "unknown") return t("moderation-date-unknown");
  const [year, month, day] = c.incident_date.split("-");
  return c.incident_date_precision === "month" ? `${month}.${year}` : `${day}.${month}.${year}`;
}

function itemLine(t: Translate, item: CaseItem): string {
  const parts = [`${item.position}. ${t(`moderation-category-${item.category}`)} — ${item.description}`];
  if (item.quantity !== 1) parts[0] += ` ×${item.quantity}`;
  if (item.value_amount !== null && item.value_currency) parts.push(`${item.value_amount} ${item.value_currency}`);
  if (item.identifier) {
    const kind = t(`moderation-identifier-${item.identifier_kind ?? "serial"}`);
    const check = item.identifier_valid === false ? ` ${t("moderation-identifier-check-failed")}` : "";
    parts.push(`${kind} ${item.identifier}${check}`);
  }
  return parts.join(" · ");
}

export function eventLabel(t: Translate, event: Pick<CaseEvent, "kind">): string {
  const label = t(`moderation-event-${event.kind}`);
  return label.startsWith("{") ? event.kind : label;
}

function actorLabel(t: Translate, names: StaffNames, event: Pick<CaseEvent, "actor_kind" | "actor_id">): string {
  if (event.actor_kind === "staff" && event.actor_id !== null) return staffName(names, event.actor_id);
  return t(event.actor_kind === "reporter" ? "moderation-actor-reporter" : "moderation-actor-system");
}

export interface CardView {
  card: CaseCard;
  lastAction: CaseEvent | undefined;
  names: StaffNames;
}

/**
 * The card as plain text (no markup: reporters' words are shown exactly as typed and can never be taken for
 * formatting). Within `maxLength`, long free text is cut first, then the item list, each with a pointer to
 * /case for the rest.
 */
export function renderCard(t: Translate, locale: Locale, view: CardView, maxLength = MAX_MESSAGE_LENGTH): string {
  const { card, lastAction, names } = view;
  const c = card.case;
  const head: string[] = [
    t("moderation-card-title", { emoji: statusEmoji[c.status], ref: c.ref, status: statusLabel(t, c.status) }),
  ];
  if (card.duplicateOfRef) head.push(t("moderation-card-duplicate-of", { ref: card.duplicateOfRef }));
  if (card.holder !== undefined && c.assigned_at) {
    head.push(t("moderation-card-held", { name: staffName(names, card.holder), since: formatTime(c.assigned_at, locale) }));
  } else if (!isFinal(c.status)) {
    head.push(t("moderation-card-not-held"));
  }
  if (lastAction) {
    head.push(
      t("moderation-card-last-action", {
        action: eventLabel(t, lastAction),
        name: actorLabel(t, names, lastAction),
        when: formatTime(lastAction.created_at, locale),
      }),
    );
  }
  const flags = [
    ...card.identifierFlags.map((f) => t("moderation-flag-identifier", { identifier: f.identifier, ref: f.otherRef })),
    ...card.photoFlags.map((f) => t("moderation-flag-photo", { ref: f.otherRef, distance: f.distance })),
  ];

  const place = [regionLabel(t, c.region), c.address].filter(Boolean).join(" — ");
  const facts: string[] = [
    t("moderation-card-role", { role: t(`moderation-role-${c.role}`) }),
    t("moderation-card-place", { place: place || "—" }),
  ];
  if (c.latitude !== null && c.longitude !== null) {
    facts.push(t("moderation-card-coordinates", { lat: c.latitude.toFixed(5), lon: c.longitude.toFixed(5) }));
  }
  facts.push(t("moderation-card-date", { date: incidentDate(t, c) }));
  facts.push(t("moderation-card-submitted", { when: formatTime(c.submitted_at, locale) }));

  const perpetrators: string[] = [];
  if (c.perpetrator_units) perpetrators.push(t("moderation-card-units", { text: c.perpetrator_units }));
  if (c.perpetrator_vehicles) perpetrators.push(t("moderation-card-vehicles", { text: c.perpetrator_vehicles }));
  if (c.perpetrator_count !== null) perpetrators.push(t("moderation-card-count", { count: c.perpetrator_count }));
  if (c.perpetrator_words) perpetrators.push(t("moderation-card-words", { text: c.perpetrator_words }));

  const storedPhotos = card.photos.filter((p) => p.stored).length;
  const tail = [
    t("moderation-card-photos", { count: storedPhotos, answers: card.photos.filter((p) => p.source === "needinfo").length }),
    t(c.contact_allowed ? "moderation-card-contact-yes" : "moderation-card-contact-no"),
  ];
  const more = t("moderation-card-truncated", { ref: c.ref });

  const compose = (items: string[], narrative: string | null, perp: string[]) =>
    [
      head.join("\n"),
      flags.length ? flags.join("\n") : undefined,
      facts.join("\n"),
      [t("moderation-card-items", { count: card.items.length }), ...items].join("\n"),
      perp.length ? [t("moderation-card-perpetrators"), ...perp].join("\n") : undefined,
      narrative ? `${t("moderation-card-narrative")}\n${narrative}` : undefined,
      tail.join("\n"),
    ]
      .filter((part): part is string => part !== undefined)
      .join("\n\n");

  const items = card.items.map((item) => itemLine(t, item));
  let text = compose(items, c.narrative, perpetrators);
  if (text.length <= maxLength) return text;

  const cut = (s: string, room: number) => (s.length <= room ? s : `${s.slice(0, Math.max(0, room - 1))}…`);
  const perpShort = perpetrators.map((p) => cut(p, 300));
  const withoutNarrative = compose(items, null, perpShort).length;
  const narrativeRoom = maxLength - withoutNarrative - more.length - 10;
  if (narrativeRoom > 200) {
    text = compose(items, c.narrative ? `${cut(c.narrative, narrativeRoom)}\n${more}` : null, perpShort);
    if (text.length <= maxLength) return text;
  }
  const shortItems = items.map((line) => cut(line, 200));
  for (let keep = shortItems.length; keep >= 0; keep--) {
    const listed = keep < shortItems.length ? [...shortItems.slice(0, keep), `… ${more}`] : shortItems;
    text = compose(listed, c.narrative ? cut(c.narrative, 300) : null, perpShort);
    if (text.length <= maxLength) return text;
  }
  return cut(text, maxLength);
}

/** Buttons for what can still be done: decisions while the case is open, a note and the full view always. */
export function cardKeyboard(t: Translate, c: Pick<Case, "id" | "status">): InlineKeyboard {
  const button = (label: string, action: CaseAction) =>
    InlineKeyboard.text(t(label), packCaseButton({ action, caseId: c.id }));
  if (isFinal(c.status)) {
    return InlineKeyboard.from([[button("moderation-button-note", "note"), button("moderation-button-details", "details")]]);
  }
  return InlineKeyboard.from([
    [
      button("moderation-button-take", "take"),
      button("moderation-button-verify", "verify"),
      button("moderation-button-reject", "reject"),
    ],
    [
      button("moderation-button-needinfo", "request_info"),
      button("moderation-button-duplicate", "mark_duplicate"),
      button("moderation-button-note", "note"),
    ],
    [button("moderation-button-details", "details")],
  ]);
}

/** The audit history, oldest first, split into messages that each fit Telegram's limit. */
export function renderHistory(t: Translate, locale: Locale, events: CaseEvent[], names: StaffNames): string[] {
  const lines = events.map((e) => {
    const status = e.to_status && e.from_status !== e.to_status ? ` → ${statusLabel(t, e.to_status)}` : "";
    const data = e.data as Record<string, unknown> | null;
    const detail =
      e.kind === "taken_over" && typeof data?.from === "number"
        ? ` (${t("moderation-history-from", { name: staffName(names, data.from) })})`
        : e.kind === "marked_duplicate" && typeof data?.duplicateOf === "string"
          ? ` (${data.duplicateOf})`
          : "";
    const head = `${formatTime(e.created_at, locale)} · ${eventLabel(t, e)}${status}${detail} · ${actorLabel(t, names, e)}`;
    return e.text ? `${head}\n   ${e.text}` : head;
  });
  return splitMessages([t("moderation-history-title"), ...lines]);
}

/** Joins lines into as few messages as fit; a single overlong line is cut. */
export function splitMessages(lines: string[], maxLength = MAX_MESSAGE_LENGTH): string[] {
  const messages: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = raw.length > maxLength ? `${raw.slice(0, maxLength - 1)}…` : raw;
    if (current && current.length + 1 + line.length > maxLength) {
      messages.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) messages.push(current);
  return messages;
}

/** Staff whose names a card or a history may show. */
export function mentionedStaff(holder: number | undefined, events: readonly CaseEvent[]): number[] {
  const ids = new Set<number>();
  if (holder !== undefined) ids.add(holder);
  for (const e of events) {
    if (e.actor_id !== null) ids.add(e.actor_id);
    const from = (e.data as Record<string, unknown> | null)?.from;
    if (typeof from === "number") ids.add(from);
  }
  return [...ids];
}
