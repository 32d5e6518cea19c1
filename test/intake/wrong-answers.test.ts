import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { caseByRef, expectRetry, expectText, readReview, reportUntilLocation, reportUntilPerpetrators, submit, translator } from "./flow.js";

let svidok: RunningSvidok;
beforeAll(async () => {
  svidok = await startSvidok();
});
afterAll(async () => {
  await svidok?.stop();
});

async function draftsOf(user: TelegramUser) {
  return svidok.db
    .selectFrom("drafts")
    .innerJoin("reporters", "reporters.id", "drafts.reporter_id")
    .selectAll("drafts")
    .where("reporters.pseudonym", "=", svidok.app.services.pseudonymize(user.id))
    .execute();
}

describe.concurrent("answers that do not fit", { timeout: 180_000 }, () => {
  it.for(["uk", "en"] as const)("in %s, get a translated explanation and the question again at every step up to the items, and lose nothing entered before", async (locale) => {
    const t = translator(locale);
    const user = svidok.user({ languageCode: locale });
    await user.says("/new");
    await expectText(user, t, "intake-consent-question", { version: "2026-01" });
    await user.says("що це?");
    await expectRetry(user, t, "intake-error-consent", "intake-consent-question", { version: "2026-01" });
    await user.taps(t("intake-consent-agree"));

    await expectText(user, t, "intake-role-question");
    await user.says("не знаю");
    await expectRetry(user, t, "intake-error-choose-button", "intake-role-question");
    await user.taps(t("intake-role-victim"));

    await expectText(user, t, "intake-location-question");
    await user.sendsSticker();
    await expectRetry(user, t, "intake-error-location", "intake-location-question");
    await user.sendsLocation(95, 30);
    await expectRetry(user, t, "intake-error-coordinates", "intake-location-question");
    await user.says("Гостомель");

    await expectText(user, t, "intake-region-question");
    await user.says("Атлантида");
    await expectRetry(user, t, "intake-error-region", "intake-region-question");
    await user.taps(t("intake-region-kyivska"));

    await expectText(user, t, "intake-date-question");
    await user.says("31.02.2022");
    await expectRetry(user, t, "intake-error-date-no_such_date", "intake-date-question");
    await user.says("01.01.2099");
    await expectRetry(user, t, "intake-error-date-future", "intake-date-question");
    await user.says("01.01.2010");
    await expectRetry(user, t, "intake-error-date-too_early", "intake-date-question");
    await user.says("минулої весни");
    await expectRetry(user, t, "intake-error-date-format", "intake-date-question");
    await user.says("2022-03-01");

    await expectText(user, t, "intake-item-category-question", { number: 1 });
    await user.says("машина");
    await expectRetry(user, t, "intake-error-choose-button", "intake-item-category-question", { number: 1 });
    await user.taps(t("intake-category-vehicle"));

    const description = { number: 1, category: t("intake-category-vehicle") };
    await expectText(user, t, "intake-item-description-question", description);
    await user.says("x".repeat(1001));
    await expectRetry(user, t, "intake-error-too-long", "intake-item-description-question", { max: 1000, length: 1001, ...description });
    await user.sendsPhoto(Buffer.from("not really a photo"));
    await expectRetry(user, t, "intake-error-photo-here", "intake-item-description-question", description);
    await user.says("Toyota Land Cruiser");

    await expectText(user, t, "intake-item-quantity-question");
    await user.says("багато");
    await expectRetry(user, t, "intake-error-quantity-format", "intake-item-quantity-question");
    await user.says("0");
    await expectRetry(user, t, "intake-error-quantity-range", "intake-item-quantity-question");
    await user.says("1");

    await expectText(user, t, "intake-item-value-question");
    await user.says("дорого");
    await expectRetry(user, t, "intake-error-value-format", "intake-item-value-question");
    await user.says("100 рублів");
    await expectRetry(user, t, "intake-error-value-currency", "intake-item-value-question");
    await user.says("25000");
    await expectText(user, t, "intake-item-value-currency", { amount: "25000.00" });
    await user.says("юані");
    await expectRetry(user, t, "intake-error-currency", "intake-item-value-currency", { amount: "25000.00" });
    await user.says("дол");

    await expectText(user, t, "intake-item-identifier-question-vehicle");
    await user.says("JTMHV05J604123456");
    await expectText(user, t, "intake-identifier-warning-vin_check_digit", { identifier: "JTMHV05J604123456" });
    await user.taps(t("intake-identifier-retype"));
    await expectRetry(user, t, "intake-identifier-type-again", "intake-item-identifier-question-vehicle");
    await user.says("JTMHV05J604123456");
    await user.nextReply();
    await user.taps(t("intake-identifier-keep"));

    await expectText(user, t, "intake-item-more-question", { count: 1, last: "Toyota Land Cruiser" });
    await user.says("можливо");
    await expectRetry(user, t, "intake-error-choose-button", "intake-item-more-question", { count: 1, last: "Toyota Land Cruiser" });
    await user.taps(t("intake-item-more-done"));
    await expectText(user, t, "intake-perpetrators-question");
    await user.settled();
    const [draft] = await draftsOf(user);
    expect(draft).toMatchObject({
      step: "perpetrators",
      answers: {
        role: "victim",
        address: "Гостомель",
        region: "kyivska",
        incidentDate: "2022-03-01",
        items: [{ category: "vehicle", description: "Toyota Land Cruiser", valueAmount: "25000.00", valueCurrency: "USD", identifier: "JTMHV05J604123456", identifierKind: "vin", identifierValid: false }],
      },
    });
  });

  // The same report would be more than the 40 updates in 30 seconds the bot takes from one person.
  it.for(["uk", "en"] as const)("in %s, from who did it to the review, too", async (locale) => {
    const t = translator(locale);
    const user = svidok.user({ languageCode: locale });
    await reportUntilPerpetrators(user, t);
    await user.sendsSticker();
    await expectRetry(user, t, "intake-error-choose-button", "intake-perpetrators-question");
    await user.taps(t("intake-perpetrators-tell"));
    await expectText(user, t, "intake-perp-units-question");
    await user.says("   ");
    await expectRetry(user, t, "intake-error-empty", "intake-perp-units-question");
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-perp-vehicles-question");
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-perp-count-question");
    await user.says("багато");
    await expectRetry(user, t, "intake-error-perp-count", "intake-perp-count-question");
    await user.says("приблизно 20");
    await expectText(user, t, "intake-perp-words-question");
    await user.taps(t("intake-button-skip"));

    await expectText(user, t, "intake-photos-question", { max: 20 });
    await user.says("ось");
    await expectRetry(user, t, "intake-photos-error-text", "intake-photos-question", { max: 20 });
    await user.sendsVoice();
    await expectText(user, t, "intake-photos-refused-voice");
    await user.taps(t("intake-button-skip"));

    await expectText(user, t, "intake-narrative-question", { max: 4000 });
    await user.says("ї".repeat(4001));
    await expectRetry(user, t, "intake-error-too-long", "intake-narrative-question", { max: 4000, length: 4001 });
    await user.says("Забрали машину з двору.");

    await expectText(user, t, "intake-contact-question");
    await user.says("подумаю");
    await expectRetry(user, t, "intake-error-choose-button", "intake-contact-question");
    await user.says("ні");

    await readReview(user, t);
    await user.says("все добре");
    await expectRetry(user, t, "intake-error-review-buttons", "intake-review-question");
    const ref = await submit(user, t);
    await user.settled();

    const { case: c, items } = await caseByRef(svidok.db, ref);
    expect(c).toMatchObject({
      role: "witness",
      address: "Ірпінь, вул. Соборна 1",
      region: "kyivska",
      incident_date: null,
      perpetrator_count: 20,
      perpetrator_units: null,
      narrative: "Забрали машину з двору.",
      contact_allowed: false,
    });
    expect(items).toMatchObject([{ category: "appliances", description: "Bosch washing machine" }]);
  });

  it("/help and /privacy answer in the middle of a step, which then goes on", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilLocation(user, t);
    await user.says("/help");
    await expectText(user, t, "basics-help");
    await user.says("/privacy");
    await expectText(user, t, "basics-privacy");
    await user.says("/nonsense");
    await expectText(user, t, "unhandled-unknown-command");
    await user.says("Kherson, Perekopska 3");
    await expectText(user, t, "intake-region-question");
    await user.says("/new");
    await expectText(user, t, "intake-notice-existing");
    await expectText(user, t, "intake-region-question");
    const back = await user.taps(t("intake-button-back"));
    await expectText(user, t, "intake-location-question");
    expect(await user.callbackAnswer(back)).toBeDefined();
    await user.settled();
    const drafts = await svidok.db.selectFrom("drafts").innerJoin("reporters", "reporters.id", "drafts.reporter_id").selectAll("drafts").where("reporters.pseudonym", "=", svidok.app.services.pseudonymize(user.id)).execute();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ step: "location", answers: expect.objectContaining({ role: "witness", address: "Kherson, Perekopska 3" }) });
  });
});
