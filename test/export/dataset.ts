import type { Db } from "../../src/db/connect.js";
import { addStaff, type InsertedCase, insertCase, jpeg, png } from "./fixtures.js";

/** Text that breaks naive CSV: Cyrillic, commas, quotes, both kinds of line break. */
export const trickyNarrative = 'Прийшли вночі, забрали "все", що могли:\nтелевізор, пральну машину;\r\nсусідка, Ганна Петрівна, бачила.';
export const trickyAddress = 'Ірпінь, вул. Університетська, 2, кв. "7"';
export const formulaDescription = '=HYPERLINK("http://example.invalid/x","Натисніть")';
export const plusDescription = "+380 телефон у коробці";
export const MODERATOR_ID = 7_000_001;

export interface Dataset {
  /** Verified, with a point, tricky text, three items, two stored photos and a deleted one, moderation history. */
  rich: InsertedCase;
  /** Verified, known only by address. */
  noPoint: InsertedCase;
  /** Verified shipment seen abroad, month-only date, far east so a swapped point would be out of range. */
  abroad: InsertedCase;
  withdrawn: InsertedCase;
  fresh: InsertedCase;
  photos: Buffer[];
}

export async function seedDataset(db: Db): Promise<Dataset> {
  await addStaff(db, MODERATOR_ID, "moderator", "Олена Коваль");
  const photos = [await jpeg(1, 40, 30), await png(2), await jpeg(3)];
  const rich = await insertCase(db, {
    submittedAt: new Date("2026-01-10T09:15:00.123Z"),
    latitude: 50.5432,
    longitude: 30.2123,
    address: trickyAddress,
    narrative: trickyNarrative,
    perpetratorUnits: "-V- на бортах",
    items: [
      { category: "electronics", description: "Ноутбук Lenovo, сірий", value_amount: "25000.50", value_currency: "UAH", identifier: "PF1ABC23", identifier_kind: "serial" },
      { category: "jewellery", description: formulaDescription, quantity: 2 },
      { category: "vehicle", description: plusDescription, identifier: "WVWZZZ1JZXW000001", identifier_kind: "vin", identifier_valid: true },
    ],
    photos: [
      { data: photos[0]!, takenAt: new Date("2022-03-05T10:00:00Z"), evidence: { latitude: 50.54, longitude: 30.21 } },
      { data: photos[1]!, mime: "image/png" },
      { data: photos[2]!, deleted: true },
    ],
    events: [
      { kind: "taken", actorId: MODERATOR_ID, fromStatus: "new", toStatus: "in_review" },
      { kind: "note", actorId: MODERATOR_ID, text: "Підтверджено сусідкою" },
      { kind: "verified", actorId: MODERATOR_ID, fromStatus: "in_review", toStatus: "verified" },
    ],
  });
  const noPoint = await insertCase(db, {
    submittedAt: new Date("2026-01-11T10:00:00Z"),
    latitude: null,
    longitude: null,
    address: "Херсон, вул. Перекопська, 5",
    region: "khersonska",
    role: "witness",
  });
  const abroad = await insertCase(db, {
    submittedAt: new Date("2026-01-12T10:00:00Z"),
    latitude: 48.4827,
    longitude: 135.0838,
    address: "Хабаровськ, пошта",
    region: "not_in_ukraine",
    role: "trafficking",
    incidentDate: "2022-04-01",
    precision: "month",
    items: [
      { category: "appliances", description: "Пральна машина" },
      { category: "appliances", description: "Мікрохвильовка" },
    ],
  });
  const withdrawn = await insertCase(db, { status: "withdrawn", submittedAt: new Date("2026-01-13T10:00:00Z") });
  const fresh = await insertCase(db, { status: "new", submittedAt: new Date("2026-01-14T10:00:00Z") });
  return { rich, noPoint, abroad, withdrawn, fresh, photos };
}
