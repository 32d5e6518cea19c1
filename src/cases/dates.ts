import type { DatePrecision } from "../db/types.js";

/** The full-scale looting began with the occupation of Crimea; no earlier date belongs in a report. */
export const EARLIEST_INCIDENT_DATE = "2014-02-20";
export const INCIDENT_TIME_ZONE = "Europe/Kyiv";

export interface IncidentDate {
  /** `YYYY-MM-DD`; for a month only, its first day; null when unknown. */
  date: string | null;
  precision: DatePrecision;
}

export type DateProblem = "format" | "no_such_date" | "future" | "too_early";
export type DateResult = { ok: true; value: IncidentDate } | { ok: false; problem: DateProblem };

const todayWords = new Set(["today", "сьогодні", "сьогодня", "сегодня"]);
const yesterdayWords = new Set(["yesterday", "вчора", "учора", "вчера"]);
const unknownWords = new Set([
  "unknown",
  "dont know",
  "do not know",
  "i dont know",
  "i do not know",
  "not sure",
  "не знаю",
  "я не знаю",
  "невідомо",
  "не пам'ятаю",
  "не памятаю",
]);

/** The calendar date in Kyiv at `now`, as `YYYY-MM-DD`: "today" for the person is Ukrainian time, not the server's. */
export function localDate(now: Date, timeZone = INCIDENT_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(now)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function checkDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function bounded(value: IncidentDate, today: string): DateResult {
  if (value.date === null) return { ok: true, value };
  if (value.precision === "month") {
    const month = value.date.slice(0, 7);
    if (month > today.slice(0, 7)) return { ok: false, problem: "future" };
    if (month < EARLIEST_INCIDENT_DATE.slice(0, 7)) return { ok: false, problem: "too_early" };
    return { ok: true, value };
  }
  if (value.date > today) return { ok: false, problem: "future" };
  if (value.date < EARLIEST_INCIDENT_DATE) return { ok: false, problem: "too_early" };
  return { ok: true, value };
}

/**
 * When it happened, as a person types it: `DD.MM.YYYY` (also with `/` or `-`), `YYYY-MM-DD`, a month `MM.YYYY`,
 * or a word (today, yesterday, don't know, in English or Ukrainian). Never in the future, never before 2014-02-20.
 */
export function parseIncidentDate(input: string, now: Date): DateResult {
  const text = input
    .trim()
    .toLowerCase()
    .replace(/[’ʼ`]/g, "'")
    .replace(/[.!?]+$/, "")
    .replace(/\s+/g, " ");
  const today = localDate(now);
  const words = text.replace(/'/g, "");
  if (todayWords.has(words)) return bounded({ date: today, precision: "day" }, today);
  if (yesterdayWords.has(words)) return bounded({ date: addDays(today, -1), precision: "day" }, today);
  if (unknownWords.has(text) || unknownWords.has(words)) return { ok: true, value: { date: null, precision: "unknown" } };

  const compact = text.replace(/\s/g, "");
  let match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(compact);
  if (match) {
    const date = checkDay(Number(match[3]), Number(match[2]), Number(match[1]));
    return date ? bounded({ date, precision: "day" }, today) : { ok: false, problem: "no_such_date" };
  }
  match = /^(\d{4})[./-](\d{1,2})[./-](\d{1,2})$/.exec(compact);
  if (match) {
    const date = checkDay(Number(match[1]), Number(match[2]), Number(match[3]));
    return date ? bounded({ date, precision: "day" }, today) : { ok: false, problem: "no_such_date" };
  }
  match = /^(\d{1,2})[./-](\d{4})$/.exec(compact);
  if (match) {
    const month = Number(match[1]);
    if (month < 1 || month > 12) return { ok: false, problem: "no_such_date" };
    return bounded({ date: `${match[2]}-${pad(month)}-01`, precision: "month" }, today);
  }
  return { ok: false, problem: "format" };
}
