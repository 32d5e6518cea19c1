import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Locale } from "../db/types.js";
import type { BotContext } from "./context.js";

export const localesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../locales");

export type Translate = (key: string, variables?: Record<string, string | number>) => string;

export function createI18n(defaultLocale: Locale): I18n<BotContext> {
  return new I18n<BotContext>({
    defaultLocale,
    directory: localesDirectory,
    useSession: false,
    // Bidi isolation marks around placeables show up as junk in Telegram clients.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.locale,
  });
}

export function translator(i18n: I18n<BotContext>, locale: Locale): Translate {
  return (key, variables) => i18n.t(locale, key, variables);
}

/** Telegram tells a new user's app language; anything but Ukrainian or English falls back to the default. */
export function localeFromLanguageCode(code: string | undefined, fallback: Locale): Locale {
  if (!code) return fallback;
  const base = code.toLowerCase().split("-")[0];
  if (base === "uk") return "uk";
  if (base === "en") return "en";
  return fallback;
}
