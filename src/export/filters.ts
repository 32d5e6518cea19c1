import { INCIDENT_TIME_ZONE } from "../cases/dates.js";
import { regions } from "../cases/regions.js";
import { exportableStatuses, type ExportableStatus, type ExportFilters } from "../db/export-queries.js";
import { reporterRoles, type ReporterRole } from "../db/types.js";

export type { ExportFilters };

export const exportFormats = ["csv", "xlsx", "geojson", "json", "zip"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

/** The filter names a person types, in the bot (`status=verified`) and on the command line (`--status verified`). */
export const filterNames = ["status", "region", "role", "from", "to"] as const;
export type FilterName = (typeof filterNames)[number];

export type FilterProblem =
  | { code: "unknown_filter"; name: string }
  | { code: "withdrawn" }
  | { code: "bad_value"; name: FilterName; value: string; allowed: string }
  | { code: "bad_date"; name: "from" | "to"; value: string }
  | { code: "empty_range"; from: string; to: string };

export type FilterResult = { ok: true; filters: ExportFilters } | { ok: false; problem: FilterProblem };

export const defaultFilters: ExportFilters = { statuses: ["verified"], regions: [], roles: [], timeZone: INCIDENT_TIME_ZONE };

const ALL = "all";
const regionByIso = new Map<string, string>(regions.flatMap((r) => (r.iso ? [[r.iso.toLowerCase(), r.code]] : [])));
const regionCodes = new Set<string>(regions.map((r) => r.code));

function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Checks what a person asked for, by name, before any work starts. Values are comma-separated lists
 * (`status=verified,duplicate`, `region=kyivska,UA-63`) or `all`; a status list that names `withdrawn` is refused
 * rather than quietly narrowed, so nobody believes withdrawn cases were exported.
 */
export function parseExportFilters(raw: Record<string, string>): FilterResult {
  const filters: ExportFilters = { ...defaultFilters };
  for (const [name, value] of Object.entries(raw)) {
    if (!(filterNames as readonly string[]).includes(name)) return { ok: false, problem: { code: "unknown_filter", name } };
    const values = list(value);
    switch (name as FilterName) {
      case "status": {
        if (values.includes("withdrawn")) return { ok: false, problem: { code: "withdrawn" } };
        if (values.includes(ALL)) {
          filters.statuses = [...exportableStatuses];
          break;
        }
        const bad = values.length === 0 ? value : values.find((v) => !(exportableStatuses as readonly string[]).includes(v));
        if (bad !== undefined) {
          return { ok: false, problem: { code: "bad_value", name: "status", value: bad, allowed: [...exportableStatuses, ALL].join(", ") } };
        }
        filters.statuses = [...new Set(values)] as ExportableStatus[];
        break;
      }
      case "region": {
        if (values.includes(ALL)) {
          filters.regions = [];
          break;
        }
        const codes: string[] = [];
        for (const v of values) {
          const code = regionCodes.has(v) ? v : regionByIso.get(v);
          if (!code) return { ok: false, problem: { code: "bad_value", name: "region", value: v, allowed: [...regionCodes, ALL].join(", ") } };
          codes.push(code);
        }
        if (codes.length === 0) {
          return { ok: false, problem: { code: "bad_value", name: "region", value, allowed: [...regionCodes, ALL].join(", ") } };
        }
        filters.regions = [...new Set(codes)];
        break;
      }
      case "role": {
        if (values.includes(ALL)) {
          filters.roles = [];
          break;
        }
        const bad = values.length === 0 ? value : values.find((v) => !(reporterRoles as readonly string[]).includes(v));
        if (bad !== undefined) {
          return { ok: false, problem: { code: "bad_value", name: "role", value: bad, allowed: [...reporterRoles, ALL].join(", ") } };
        }
        filters.roles = [...new Set(values)] as ReporterRole[];
        break;
      }
      case "from":
      case "to": {
        const day = value.trim();
        if (!isCalendarDate(day)) return { ok: false, problem: { code: "bad_date", name: name as "from" | "to", value: day } };
        if (name === "from") filters.submittedFrom = day;
        else filters.submittedTo = day;
        break;
      }
    }
  }
  if (filters.submittedFrom && filters.submittedTo && filters.submittedFrom > filters.submittedTo) {
    return { ok: false, problem: { code: "empty_range", from: filters.submittedFrom, to: filters.submittedTo } };
  }
  return { ok: true, filters };
}

/** `key=value` words, as typed after `/export FORMAT`. A word without `=` is reported as an unknown filter. */
export function parseFilterWords(words: string[]): FilterResult {
  const raw: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) return { ok: false, problem: { code: "unknown_filter", name: word } };
    raw[word.slice(0, eq).toLowerCase()] = word.slice(eq + 1);
  }
  return parseExportFilters(raw);
}

/** The same selection as command-line options, for exports too large to send through Telegram. */
export function filtersAsCliOptions(filters: ExportFilters): string[] {
  const options = ["--status", filters.statuses.join(",")];
  if (filters.regions.length > 0) options.push("--region", filters.regions.join(","));
  if (filters.roles.length > 0) options.push("--role", filters.roles.join(","));
  if (filters.submittedFrom) options.push("--from", filters.submittedFrom);
  if (filters.submittedTo) options.push("--to", filters.submittedTo);
  return options;
}
