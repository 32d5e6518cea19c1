import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createI18n, translator } from "../../src/bot/i18n.js";
import { MAX_MESSAGE_LENGTH, renderCard, renderHistory, splitMessages } from "../../src/bot/features/moderation/card.js";
import type { CaseCard } from "../../src/cases/moderation.js";
import type { Case, CaseEvent, CaseItem } from "../../src/db/types.js";

const i18n = createI18n("en");

function caseRow(overrides: Partial<Case> = {}): Case {
  const now = new Date("2026-03-02T10:00:00Z");
  return {
    id: randomUUID(),
    ref: "SV-7K3F-9QXM",
    draft_key: "d",
    reporter_id: null,
    role: "witness",
    status: "new",
    incident_date: "2024-03-01",
    incident_date_precision: "month",
    latitude: null,
    longitude: null,
    address: "Irpin",
    region: "kyivska",
    perpetrator_units: null,
    perpetrator_vehicles: null,
    perpetrator_count: null,
    perpetrator_words: null,
    narrative: null,
    contact_allowed: false,
    consent_version: "1",
    locale: "uk",
    assignee_id: null,
    assigned_at: null,
    duplicate_of: null,
    created_at: now,
    submitted_at: now,
    updated_at: now,
    ...overrides,
  };
}

function item(position: number, description: string): CaseItem {
  return {
    id: randomUUID(),
    case_id: "c",
    position,
    category: "electronics",
    description,
    quantity: 1,
    value_amount: null,
    value_currency: null,
    identifier: `SERIAL${position}`,
    identifier_kind: "serial",
    identifier_valid: null,
  };
}

function card(c: Case, items: CaseItem[] = []): CaseCard {
  return { case: c, items, photos: [], identifierFlags: [], photoFlags: [], holder: undefined, duplicateOfRef: undefined };
}

describe("case cards", () => {
  const t = translator(i18n, "en");

  it("shows a month-only date and a missing contact plainly", () => {
    const text = renderCard(t, "en", { card: card(caseRow()), lastAction: undefined, names: new Map() });
    expect(text).toContain("When: 03.2024");
    expect(text).toContain("Contact allowed: no");
    expect(text).toContain("Not taken yet");
  });

  it("keeps a long card under Telegram's limit and points to /case for the rest", () => {
    const narrative = "Они забрали все. ".repeat(230).slice(0, 4000);
    const items = Array.from({ length: 50 }, (_, i) => item(i + 1, `Item with a long description ${"x".repeat(150)} ${i}`));
    const c = caseRow({ narrative, perpetrator_words: "w".repeat(1000) });
    const text = renderCard(t, "en", { card: card(c, items), lastAction: undefined, names: new Map() });
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(text).toContain("/case SV-7K3F-9QXM");
    expect(text).toContain("SV-7K3F-9QXM — New");
    expect(text).toContain("Contact allowed: no");
    const full = renderCard(t, "en", { card: card(c, items), lastAction: undefined, names: new Map() }, Number.POSITIVE_INFINITY);
    expect(full).toContain(narrative);
    expect(full).toContain("SERIAL50");
    for (const part of splitMessages(full.split("\n"))) expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });

  it("names who acted last and who holds the case", () => {
    const c = caseRow({ status: "in_review", assignee_id: 42, assigned_at: new Date("2026-03-02T11:00:00Z") });
    const last: CaseEvent = {
      id: 1,
      case_id: c.id,
      actor_kind: "staff",
      actor_id: 42,
      kind: "taken",
      from_status: "new",
      to_status: "in_review",
      text: null,
      data: null,
      created_at: new Date("2026-03-02T11:00:00Z"),
    };
    const text = renderCard(t, "en", { card: { ...card(c), holder: 42 }, lastAction: last, names: new Map([[42, "Olena"]]) });
    expect(text).toContain("Held by Olena since 02/03/2026, 13:00");
    expect(text).toContain("Last: taken — Olena, 02/03/2026, 13:00");
    const history = renderHistory(t, "en", [last, { ...last, id: 2, actor_kind: "reporter", actor_id: null, kind: "info_received", text: "Third floor" }], new Map([[42, "Olena"]]));
    expect(history).toEqual(["History:\n02/03/2026, 13:00 · taken → In review · Olena\n02/03/2026, 13:00 · answer from the reporter → In review · reporter\n   Third floor"]);
  });
});
