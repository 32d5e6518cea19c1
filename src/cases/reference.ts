import { randomBytes } from "node:crypto";

/** 32 symbols without 0/O or 1/I, so a reference read aloud or copied by hand cannot be misread. */
export const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const REFERENCE_PATTERN = new RegExp(`^SV-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

/** `SV-XXXX-XXXX`: 40 random bits, so one reference tells nothing about another. */
export function generateCaseRef(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(8);
  let symbols = "";
  for (const byte of bytes) symbols += REFERENCE_ALPHABET[byte & 31];
  return `SV-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/** Accepts what a person types: any case, spaces or no dashes, with or without the `SV` prefix. */
export function normalizeCaseRef(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s\-–—_]/g, "");
  const body = compact.startsWith("SV") && compact.length === 10 ? compact.slice(2) : compact;
  if (body.length !== 8) return undefined;
  const ref = `SV-${body.slice(0, 4)}-${body.slice(4)}`;
  return REFERENCE_PATTERN.test(ref) ? ref : undefined;
}
