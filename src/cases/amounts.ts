import type { Currency } from "../db/types.js";

export const MAX_QUANTITY = 1_000_000;
/** numeric(14, 2) holds at most twelve digits before the point. */
const MAX_AMOUNT_INTEGER_DIGITS = 12;

export type QuantityResult = { ok: true; value: number } | { ok: false; problem: "format" | "range" };

/** A whole number of pieces, optionally followed by a unit word ("3", "3 шт", "x3"). */
export function parseQuantity(input: string): QuantityResult {
  const text = input.trim().toLowerCase();
  const match = /^[x×]?\s*(\d{1,9})\s*(шт\.?|штук[аи]?|pcs\.?|pieces?|items?|x|×)?$/u.exec(text);
  if (!match) return { ok: false, problem: "format" };
  const value = Number(match[1]);
  if (value < 1 || value > MAX_QUANTITY) return { ok: false, problem: "range" };
  return { ok: true, value };
}

const currencyWords: [Currency, RegExp][] = [
  ["UAH", /^(uah|грн\.?|гривн[яіьи]?|гривень|hrn|hryvni?a?s?|₴)$/u],
  ["USD", /^(usd|\$|дол\.?|долар(и|ів)?|доларів|dollars?|бакс(и|ів)?)$/u],
  ["EUR", /^(eur|€|євро|euros?)$/u],
];

export function parseCurrency(input: string): Currency | undefined {
  const word = input.trim().toLowerCase();
  return currencyWords.find(([, pattern]) => pattern.test(word))?.[0];
}

export interface MoneyValue {
  /** Exact decimal text with two places, never a float. */
  amount: string;
  currency: Currency | null;
}

export type MoneyResult = { ok: true; value: MoneyValue } | { ok: false; problem: "format" | "too_large" | "currency" };

/**
 * Reads a decimal written the Ukrainian or the English way: spaces, apostrophes, or a comma before three digits
 * group thousands; a comma or point before one or two digits at the end is the decimal separator.
 */
export function parseAmount(input: string): { ok: true; amount: string } | { ok: false; problem: "format" | "too_large" } {
  let text = input.replace(/[\s\u00a0\u202f'’]/g, "");
  if (!/^\d[\d.,]*$/.test(text)) return { ok: false, problem: "format" };
  let fraction = "";
  const decimal = /[.,](\d{1,2})$/.exec(text);
  if (decimal) {
    fraction = decimal[1]!;
    text = text.slice(0, decimal.index);
  }
  if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(text)) return { ok: false, problem: "format" };
  const integer = text.replace(/[.,]/g, "").replace(/^0+(?=\d)/, "");
  if (integer.length > MAX_AMOUNT_INTEGER_DIGITS) return { ok: false, problem: "too_large" };
  return { ok: true, amount: `${integer}.${fraction.padEnd(2, "0")}` };
}

/** "15000 грн", "$200", "1 500,50 EUR", or a bare amount (currency then asked for separately). */
export function parseMoney(input: string): MoneyResult {
  const text = input.trim().toLowerCase();
  const match = /^([^\d]*?)\s*([\d][\d\s\u00a0\u202f'’.,]*)\s*([^\d]*)$/u.exec(text);
  if (!match) return { ok: false, problem: "format" };
  const before = match[1]!.trim();
  const after = match[3]!.trim();
  if (before && after) return { ok: false, problem: "format" };
  const amount = parseAmount(match[2]!);
  if (!amount.ok) return amount;
  const word = before || after;
  if (!word) return { ok: true, value: { amount: amount.amount, currency: null } };
  const currency = parseCurrency(word);
  if (!currency) return { ok: false, problem: "currency" };
  return { ok: true, value: { amount: amount.amount, currency } };
}
