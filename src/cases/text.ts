export const MAX_ANSWER_LENGTH = 1000;
export const MAX_NARRATIVE_LENGTH = 4000;

export type TextResult = { ok: true; value: string } | { ok: false; problem: "empty" | "too_long"; length: number };

/** Trims, keeps line breaks, drops control characters, and enforces the limit in characters as a person counts them. */
export function cleanText(input: string, max: number): TextResult {
  const value = input
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .trim();
  const length = [...value].length;
  if (length === 0) return { ok: false, problem: "empty", length };
  if (length > max) return { ok: false, problem: "too_long", length };
  return { ok: true, value };
}
