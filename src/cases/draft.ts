import { z } from "zod";
import { currencies, identifierKinds, itemCategories, reporterRoles } from "../db/types.js";
import type { DatePrecision, ItemCategory, ReporterRole } from "../db/types.js";
import { isRegionCode, type RegionCode } from "./regions.js";

/** Changes when the consent text changes in substance; stored with every case. */
export const CONSENT_VERSION = "2026-01";
export const MAX_ITEMS = 50;
export const MAX_PHOTOS = 20;

/** The questions of a report in the order they are asked. Stored in `drafts.step`. */
export const steps = [
  "role",
  "location",
  "region",
  "date",
  "item_category",
  "item_description",
  "item_quantity",
  "item_value",
  "item_identifier",
  "item_more",
  "perpetrators",
  "perp_units",
  "perp_vehicles",
  "perp_count",
  "perp_words",
  "photos",
  "narrative",
  "contact",
  "review",
  "items_edit",
] as const;
export type Step = (typeof steps)[number];

export function isStep(value: unknown): value is Step {
  return typeof value === "string" && (steps as readonly string[]).includes(value);
}

/** Parts of a report that can be changed from the review, each with the step it starts at. */
export const sections = {
  role: "role",
  place: "location",
  date: "date",
  items: "items_edit",
  perpetrators: "perpetrators",
  photos: "photos",
  narrative: "narrative",
  contact: "contact",
} as const satisfies Record<string, Step>;
export type Section = keyof typeof sections;

/** The last step of each section: finishing it while editing goes back to the review. */
const sectionEnds: ReadonlySet<Step> = new Set<Step>([
  "role",
  "region",
  "date",
  "item_more",
  "perp_words",
  "photos",
  "narrative",
  "contact",
]);
const sectionStarts: ReadonlySet<Step> = new Set<Step>(Object.values(sections));

const itemSchema = z.object({
  category: z.enum(itemCategories),
  description: z.string(),
  quantity: z.number().int().positive(),
  valueAmount: z.string().nullable(),
  valueCurrency: z.enum(currencies).nullable(),
  identifier: z.string().nullable(),
  identifierKind: z.enum(identifierKinds).nullable(),
  identifierValid: z.boolean().nullable(),
});
export type DraftItem = z.infer<typeof itemSchema>;

const answersSchema = z.object({
  consentVersion: z.string().catch(CONSENT_VERSION),
  role: z.enum(reporterRoles).optional().catch(undefined),
  latitude: z.number().optional().catch(undefined),
  longitude: z.number().optional().catch(undefined),
  address: z.string().optional().catch(undefined),
  region: z.string().refine(isRegionCode).optional().catch(undefined),
  incidentDate: z.string().nullable().optional().catch(undefined),
  datePrecision: z.enum(["day", "month", "unknown"]).optional().catch(undefined),
  items: z.array(itemSchema).catch([]),
  currentItem: itemSchema.partial().optional().catch(undefined),
  perpetratorUnits: z.string().optional().catch(undefined),
  perpetratorVehicles: z.string().optional().catch(undefined),
  perpetratorCount: z.number().int().positive().optional().catch(undefined),
  perpetratorWords: z.string().optional().catch(undefined),
  narrative: z.string().optional().catch(undefined),
  contactAllowed: z.boolean().optional().catch(undefined),
  /** Set while a section is edited from the review, so finishing it returns there. */
  returnToReview: z.boolean().optional().catch(undefined),
});

export interface DraftAnswers {
  consentVersion: string;
  role?: ReporterRole;
  latitude?: number;
  longitude?: number;
  address?: string;
  region?: RegionCode;
  incidentDate?: string | null;
  datePrecision?: DatePrecision;
  items: DraftItem[];
  currentItem?: Partial<DraftItem>;
  perpetratorUnits?: string;
  perpetratorVehicles?: string;
  perpetratorCount?: number;
  perpetratorWords?: string;
  narrative?: string;
  contactAllowed?: boolean;
  returnToReview?: boolean;
}

/** Answers come back from a jsonb column written by possibly older code: anything unreadable counts as unanswered. */
export function readAnswers(raw: unknown): DraftAnswers {
  const parsed = answersSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data as DraftAnswers;
  return { consentVersion: CONSENT_VERSION, items: [] };
}

export function emptyAnswers(): DraftAnswers {
  return { consentVersion: CONSENT_VERSION, items: [] };
}

const naturalNext: Record<Step, Step> = {
  role: "location",
  location: "region",
  region: "date",
  date: "item_category",
  item_category: "item_description",
  item_description: "item_quantity",
  item_quantity: "item_value",
  item_value: "item_identifier",
  item_identifier: "item_more",
  item_more: "perpetrators",
  perpetrators: "perp_units",
  perp_units: "perp_vehicles",
  perp_vehicles: "perp_count",
  perp_count: "perp_words",
  perp_words: "photos",
  photos: "narrative",
  narrative: "contact",
  contact: "review",
  review: "review",
  items_edit: "review",
};

/** The step after `step` is answered: the natural next one, or the review when a section edited from there is done. */
export function nextStep(step: Step, answers: DraftAnswers): Step {
  if (answers.returnToReview && sectionEnds.has(step)) return "review";
  return naturalNext[step];
}

const naturalPrevious: Partial<Record<Step, Step>> = {
  location: "role",
  region: "location",
  date: "region",
  item_description: "item_category",
  item_quantity: "item_description",
  item_value: "item_quantity",
  item_identifier: "item_value",
  perpetrators: "item_more",
  perp_units: "perpetrators",
  perp_vehicles: "perp_units",
  perp_count: "perp_vehicles",
  perp_words: "perp_count",
  photos: "perpetrators",
  narrative: "photos",
  contact: "narrative",
};

/** Where "Back" leads from `step`, or undefined where there is nowhere sensible to go. */
export function previousStep(step: Step, answers: DraftAnswers): Step | undefined {
  if (answers.returnToReview && sectionStarts.has(step)) return "review";
  if (step === "item_category") {
    if (answers.returnToReview) return "items_edit";
    return answers.items.length > 0 ? "item_more" : "date";
  }
  return naturalPrevious[step];
}

/** The first question a report still lacks an answer to, if any: a submit never writes a half-filled case. */
export function firstMissingStep(answers: DraftAnswers): Step | undefined {
  if (!answers.role) return "role";
  if (answers.latitude === undefined && answers.address === undefined) return "location";
  if (!answers.region) return "region";
  if (!answers.datePrecision) return "date";
  if (answers.items.length === 0) return "item_category";
  if (answers.contactAllowed === undefined) return "contact";
  return undefined;
}

export const categoryOrder: readonly ItemCategory[] = itemCategories;
