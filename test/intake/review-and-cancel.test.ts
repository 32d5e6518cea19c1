import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { caseByRef, corpus, expectText, finishFromPhotos, readReview, reportUntilPhotos, submit, translator } from "./flow.js";

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

async function draftPhotos(draftKey: string) {
  return svidok.db.selectFrom("photos").select("id").where("draft_key", "=", draftKey).execute();
}

describe.concurrent("review, cancel and repeated updates", { timeout: 150_000 }, () => {
  it("edits the date, removes an item and adds one from the review, then returns to it", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(user, t);
    await finishFromPhotos(user, t);
    await user.taps(t("intake-review-edit"));
    await expectText(user, t, "intake-review-edit-question");
    await user.taps(t("intake-section-date"));
    await expectText(user, t, "intake-date-question");
    await user.says("24.02.2022");
    let review = await readReview(user, t);
    expect(review.map((r) => r.body).join("\n")).toContain("24.02.2022");

    await user.taps(t("intake-review-edit"));
    await user.nextReply();
    await user.taps(t("intake-section-items"));
    await expectText(user, t, "intake-items-edit-question", { count: 1 });
    await user.taps(/✖ 1\./);
    await expectText(user, t, "intake-error-last-item");
    await user.taps(t("intake-items-edit-add"));
    await expectText(user, t, "intake-item-category-question", { number: 2 });
    await user.taps(t("intake-category-tools"));
    await user.nextReply();
    await user.says("Makita drill");
    await user.nextReply();
    await user.taps("1");
    await user.nextReply();
    await user.taps(t("intake-button-skip"));
    await user.nextReply();
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-item-more-question", { count: 2, last: "Makita drill" });
    await user.taps(t("intake-item-more-done"));
    review = await readReview(user, t);
    await user.taps(t("intake-review-edit"));
    await user.nextReply();
    await user.taps(t("intake-section-items"));
    await expectText(user, t, "intake-items-edit-question", { count: 2 });
    await user.taps(/✖ 1\./);
    await expectText(user, t, "intake-items-edit-question", { count: 1 });
    await user.taps(t("intake-button-back"));
    review = await readReview(user, t);
    const summary = review.map((r) => r.body).join("\n");
    expect(summary).toContain("Makita drill");
    expect(summary).not.toContain("Bosch washing machine");
    const ref = await submit(user, t);
    await user.settled();
    const { case: c, items } = await caseByRef(svidok.db, ref);
    expect(c.incident_date).toBe("2022-02-24");
    expect(items.map((i) => [i.position, i.description])).toEqual([[1, "Makita drill"]]);
  });

  it("/cancel at several steps asks first, then deletes the draft and its photos; 'No' goes on", async () => {
    const t = translator("uk");
    const user = svidok.user({ languageCode: "uk" });
    await user.says("/new");
    await user.nextReply();
    await user.taps(t("intake-consent-agree"));
    await expectText(user, t, "intake-role-question");
    await user.says("/cancel");
    await expectText(user, t, "intake-cancel-confirm");
    await user.taps(t("intake-cancel-no"));
    await expectText(user, t, "intake-cancel-kept");
    await expectText(user, t, "intake-role-question");
    await user.says("/cancel");
    await user.nextReply();
    await user.taps(t("intake-cancel-yes"));
    await expectText(user, t, "intake-cancel-done", { photos: 0 });
    await user.settled();
    expect(await draftsOf(user)).toEqual([]);

    await reportUntilPhotos(user, t);
    await user.sendsPhoto(await corpus("jpg_Canon_40D.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 1, max: 20 });
    await user.sendsPhoto(await corpus("jpg_Nikon_D70.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 2, max: 20 });
    await user.settled();
    const [draft] = await draftsOf(user);
    expect(await draftPhotos(draft!.draft_key)).toHaveLength(2);
    await user.says("/cancel");
    await user.nextReply();
    await user.taps(t("intake-cancel-yes"));
    await expectText(user, t, "intake-cancel-done", { photos: 2 });
    await user.settled();
    expect(await draftsOf(user)).toEqual([]);
    expect(await draftPhotos(draft!.draft_key)).toEqual([]);

  });

  // A second person: one would send more than the 40 updates in 30 seconds the bot takes from anyone.
  it("/cancel from the review's own button deletes the draft too", async () => {
    const t = translator("uk");
    const user = svidok.user({ languageCode: "uk" });
    await reportUntilPhotos(user, t);
    await finishFromPhotos(user, t);
    await user.taps(t("intake-review-cancel"));
    await expectText(user, t, "intake-cancel-confirm");
    await user.taps(t("intake-cancel-yes"));
    await expectText(user, t, "intake-cancel-done", { photos: 0 });
    await user.settled();
    expect(await draftsOf(user)).toEqual([]);
    await user.says("/cancel");
    await expectText(user, t, "intake-cancel-nothing");
  });

  it("two taps on Submit, a redelivered update and a photo sent twice make one case with each photo once", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(user, t);
    const photo = await user.sendsPhoto(await corpus("jpg_Canon_40D.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 1, max: 20 });
    await user.settled();
    // The same update again, as Telegram sends it after a crash before the offset was confirmed.
    await svidok.app.bot.handleUpdate(photo);
    // The same picture in a new message (forwarded, or sent again by a person unsure it arrived).
    await user.sends({ photo: photo.message!.photo });
    await user.settled();
    await user.sendsPhoto(await corpus("jpg_Nikon_D70.jpg"));
    await user.waitForReply((r) => r.body.startsWith(t("intake-photos-received", { total: 2, max: 20 })));
    await finishFromPhotos(user, t, "done");
    const first = await user.taps(t("intake-review-submit"));
    const second = await user.taps(t("intake-review-submit"));
    await user.settled();
    await svidok.app.bot.handleUpdate(first);
    await user.settled();
    const submitted = await user.waitForReply(/SV-/);
    const ref = /SV-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(submitted.body)![0];
    expect((await user.callbackAnswer(second)).text).toBe(t("intake-already-submitted", { ref }));
    const cases = await svidok.db
      .selectFrom("cases")
      .innerJoin("reporters", "reporters.id", "cases.reporter_id")
      .select("cases.ref")
      .where("reporters.pseudonym", "=", svidok.app.services.pseudonymize(user.id))
      .execute();
    expect(cases).toEqual([{ ref }]);
    const { photos, events } = await caseByRef(svidok.db, ref);
    expect(photos).toHaveLength(2);
    expect(events).toHaveLength(1);
    expect(user.drainReplies().filter((r) => /SV-/.test(r.body))).toEqual([]);
  });
});
