import type { IdentifierKind, ItemCategory } from "../db/types.js";

export const MAX_IDENTIFIER_LENGTH = 100;

/** Luhn over all 15 digits: the last one is the check digit of the first 14. */
export function isValidImei(digits: string): boolean {
  if (!/^\d{15}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(digits[14 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const vinLetterValues: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const vinWeights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinProblem = "forbidden_letters" | "check_digit";

/**
 * ISO 3779 shape plus the check digit in position 9. Many European VINs carry no real check digit, so a failed
 * check is only a warning for the person to confirm.
 */
export function checkVin(vin: string): VinProblem | undefined {
  if (/[IOQ]/.test(vin)) return "forbidden_letters";
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const value = /\d/.test(c) ? Number(c) : vinLetterValues[c];
    if (value === undefined) return "forbidden_letters";
    sum += value * vinWeights[i]!;
  }
  const remainder = sum % 11;
  const expected = remainder === 10 ? "X" : String(remainder);
  return vin[8] === expected ? undefined : "check_digit";
}

export interface ItemIdentifier {
  identifier: string;
  kind: IdentifierKind;
  /** false when a check digit failed and the person confirmed it anyway. */
  valid: boolean;
  problem?: "imei_check_digit" | "vin_forbidden_letters" | "vin_check_digit";
}

export type IdentifierResult = { ok: true; value: ItemIdentifier } | { ok: false; problem: "empty" | "too_long" };

/**
 * Reads a serial number, IMEI or VIN. An explicit "IMEI"/"VIN" prefix decides the kind; otherwise 15 digits are
 * an IMEI for electronics and 17 letters and digits a VIN for a vehicle; anything else is a serial number.
 */
export function parseIdentifier(input: string, category: ItemCategory | undefined): IdentifierResult {
  let text = input.trim().replace(/\s+/g, " ");
  if (text.length === 0) return { ok: false, problem: "empty" };
  if (text.length > MAX_IDENTIFIER_LENGTH) return { ok: false, problem: "too_long" };
  let declared: IdentifierKind | undefined;
  const prefix = /^(imei|vin)\s*[:#№-]?\s*/i.exec(text);
  if (prefix) {
    declared = prefix[1]!.toLowerCase() as IdentifierKind;
    text = text.slice(prefix[0].length);
    if (text.length === 0) return { ok: false, problem: "empty" };
  }
  const compact = text.replace(/[\s-]/g, "").toUpperCase();
  const looksImei = /^\d{15}$/.test(compact);
  const looksVin = /^[A-Z0-9]{17}$/.test(compact);
  const kind: IdentifierKind =
    declared ?? (looksImei && category === "electronics" ? "imei" : looksVin && category === "vehicle" ? "vin" : "serial");
  if (kind === "imei") {
    if (looksImei && isValidImei(compact)) return { ok: true, value: { identifier: compact, kind, valid: true } };
    return { ok: true, value: { identifier: looksImei ? compact : text, kind, valid: false, problem: "imei_check_digit" } };
  }
  if (kind === "vin") {
    if (!looksVin) return { ok: true, value: { identifier: text, kind, valid: false, problem: "vin_check_digit" } };
    const problem = checkVin(compact);
    if (!problem) return { ok: true, value: { identifier: compact, kind, valid: true } };
    return {
      ok: true,
      value: { identifier: compact, kind, valid: false, problem: problem === "forbidden_letters" ? "vin_forbidden_letters" : "vin_check_digit" },
    };
  }
  return { ok: true, value: { identifier: text, kind, valid: true } };
}
