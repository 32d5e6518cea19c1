/**
 * Where a case happened: the 24 oblasts, the two cities with special status, Crimea, and "not in Ukraine" for
 * goods shipped or sold abroad. Codes are stable and stored; names are translated at the edge
 * (`intake-region-<code>` in the locale files). `iso` is ISO 3166-2:UA for exports and maps.
 */
export const regions = [
  { code: "vinnytska", iso: "UA-05" },
  { code: "volynska", iso: "UA-07" },
  { code: "dnipropetrovska", iso: "UA-12" },
  { code: "donetska", iso: "UA-14" },
  { code: "zhytomyrska", iso: "UA-18" },
  { code: "zakarpatska", iso: "UA-21" },
  { code: "zaporizka", iso: "UA-23" },
  { code: "ivano_frankivska", iso: "UA-26" },
  { code: "kyivska", iso: "UA-32" },
  { code: "kirovohradska", iso: "UA-35" },
  { code: "luhanska", iso: "UA-09" },
  { code: "lvivska", iso: "UA-46" },
  { code: "mykolaivska", iso: "UA-48" },
  { code: "odeska", iso: "UA-51" },
  { code: "poltavska", iso: "UA-53" },
  { code: "rivnenska", iso: "UA-56" },
  { code: "sumska", iso: "UA-59" },
  { code: "ternopilska", iso: "UA-61" },
  { code: "kharkivska", iso: "UA-63" },
  { code: "khersonska", iso: "UA-65" },
  { code: "khmelnytska", iso: "UA-68" },
  { code: "cherkaska", iso: "UA-71" },
  { code: "chernivetska", iso: "UA-77" },
  { code: "chernihivska", iso: "UA-74" },
  { code: "kyiv", iso: "UA-30" },
  { code: "crimea", iso: "UA-43" },
  { code: "sevastopol", iso: "UA-40" },
  { code: "not_in_ukraine", iso: null },
] as const;

export type RegionCode = (typeof regions)[number]["code"];

const regionCodes: ReadonlySet<string> = new Set(regions.map((r) => r.code));

export function isRegionCode(value: unknown): value is RegionCode {
  return typeof value === "string" && regionCodes.has(value);
}

/** Lower case, apostrophes of every kind dropped, anything else that is not a letter or digit turned into one space. */
export function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’ʼ`"«»]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const genericWords = new Set(["область", "обл", "oblast", "region", "city", "м", "місто", "ар", "автономна", "республіка"]);

function withoutGenericWords(normalized: string): string {
  return normalized
    .split(" ")
    .filter((w) => !genericWords.has(w))
    .join(" ");
}

/**
 * A typed region: matched against the names the person could have meant (in any language). A whole-name match
 * wins; otherwise the typed text must start one name and only one region's names, so "Харків" finds
 * Kharkiv oblast but "Ки" finds nothing rather than guessing between Kyiv city and Kyiv oblast.
 */
export function matchRegion(input: string, names: ReadonlyMap<RegionCode, readonly string[]>): RegionCode | undefined {
  const typed = normalizeName(input);
  if (typed.length < 3) return undefined;
  const exact: RegionCode[] = [];
  const prefix = new Set<RegionCode>();
  for (const [code, list] of names) {
    for (const name of list) {
      const full = normalizeName(name);
      for (const candidate of new Set([full, withoutGenericWords(full)])) {
        if (!candidate) continue;
        if (candidate === typed) exact.push(code);
        else if (candidate.startsWith(typed)) prefix.add(code);
      }
    }
  }
  if (exact.length > 0) return new Set(exact).size === 1 ? exact[0] : undefined;
  return prefix.size === 1 ? [...prefix][0] : undefined;
}
