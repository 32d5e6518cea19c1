import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/locales");

function messageIds(locale: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of readdirSync(path.join(localesDir, locale)).filter((f) => f.endsWith(".ftl"))) {
    const text = readFileSync(path.join(localesDir, locale, file), "utf8");
    for (const match of text.matchAll(/^(-?[a-zA-Z][\w-]*)\s*=/gm)) {
      expect(ids.has(match[1]!), `${match[1]} defined twice in ${locale}`).toBe(false);
      ids.set(match[1]!, file);
    }
  }
  return ids;
}

describe("translations", () => {
  const uk = messageIds("uk");
  const en = messageIds("en");

  it("has every message in Ukrainian and in English, in the same file", () => {
    expect(uk.size).toBeGreaterThan(100);
    expect([...uk.keys()].filter((id) => !en.has(id))).toEqual([]);
    expect([...en.keys()].filter((id) => !uk.has(id))).toEqual([]);
    for (const [id, file] of uk) expect(en.get(id), id).toBe(file);
  });

  it("uses the same variables in both languages", () => {
    const variables = (locale: string) => {
      const found = new Map<string, string[]>();
      for (const file of readdirSync(path.join(localesDir, locale))) {
        const text = readFileSync(path.join(localesDir, locale, file), "utf8");
        let current = "";
        for (const line of text.split("\n")) {
          const head = /^(-?[a-zA-Z][\w-]*)\s*=/.exec(line);
          if (head) current = head[1]!;
          for (const v of line.matchAll(/\{\s*\$([\w-]+)/g)) {
            found.set(current, [...new Set([...(found.get(current) ?? []), v[1]!])].sort());
          }
        }
      }
      return found;
    };
    const ukVars = variables("uk");
    const enVars = variables("en");
    for (const [id, vars] of enVars) expect(ukVars.get(id) ?? [], id).toEqual(vars);
    for (const [id, vars] of ukVars) expect(enVars.get(id) ?? [], id).toEqual(vars);
  });
});
