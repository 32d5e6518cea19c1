import { describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import { sections } from "../../src/cases/draft.js";
import { regions } from "../../src/cases/regions.js";
import { caseStatuses, identifierKinds, itemCategories, locales, reporterRoles } from "../../src/db/types.js";
import { rejectionReasons } from "../../src/media/image-rejected-error.js";

const i18n = createI18n("uk");
const vars = { identifier: "X", max: 1, length: 2, amount: "1.00", count: 1, number: 1, ref: "SV-2222-2222", status: "new" };
const text = (locale: (typeof locales)[number], key: string) => i18n.t(locale, key, vars);

// Keys built at run time from codes: a code without its text would show the person a bare message id.
const keys = [
  ...itemCategories.map((c) => `intake-category-${c}`),
  ...regions.map((r) => `intake-region-${r.code}`),
  ...reporterRoles.map((r) => `intake-role-${r}`),
  ...identifierKinds.map((k) => `intake-identifier-kind-${k}`),
  ...Object.keys(sections).map((s) => `intake-section-${s}`),
  ...["imei_check_digit", "vin_forbidden_letters", "vin_check_digit"].map((p) => `intake-identifier-warning-${p}`),
  ...["format", "no_such_date", "future", "too_early"].map((p) => `intake-error-date-${p}`),
  ...["format", "range"].map((p) => `intake-error-quantity-${p}`),
  ...["format", "too_large", "currency"].map((p) => `intake-error-value-${p}`),
  ...[...rejectionReasons, "unavailable"].map((r) => `intake-photo-rejected-${r}`),
  ...["video", "voice", "audio", "sticker", "animation", "other"].map((m) => `intake-photos-refused-${m}`),
  ...["units", "vehicles", "count", "words"].map((p) => `intake-perp-${p}-question`),
  ...["resumed", "existing"].map((n) => `intake-notice-${n}`),
  ...caseStatuses.flatMap((s) => [`reporter-status-${s}`, `reporter-status-explain-${s}`]),
];

describe("texts built from codes", () => {
  it.each(locales)("exist in %s", (locale) => {
    // A missing message comes back as "{key}".
    const missing = keys.filter((key) => text(locale, key).includes(key) || text(locale, key).trim() === "");
    expect(missing).toEqual([]);
  });

  it("differ between the languages", () => {
    const same = keys.filter((key) => text("uk", key) === text("en", key) && !/kind-(imei|vin)$/.test(key));
    expect(same).toEqual([]);
  });
});
