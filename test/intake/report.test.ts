import exifr from "exifr";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { caseByRef, corpus, expectText, finishFromPhotos, readReview, reportUntilPhotos, submit, translator } from "./flow.js";

function picture(index: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: index * 12, g: 255 - index * 12, b: 90 } } })
    .jpeg()
    .toBuffer();
}

let svidok: RunningSvidok;
beforeAll(async () => {
  svidok = await startSvidok();
});
afterAll(async () => {
  await svidok?.stop();
});

describe.concurrent("a full report", { timeout: 120_000 }, () => {
  it("in Ukrainian, by tapping and typing, ends with a case, its items, photos and one audit event", async () => {
    const t = translator("uk");
    const user = svidok.user({ languageCode: "uk" });
    await user.says("/start");
    await user.nextReply();
    await user.taps("📝 Почати звіт");
    await expectText(user, t, "intake-consent-question", { version: "2026-01" });
    await user.says("так");
    await expectText(user, t, "intake-role-question");
    await user.taps(t("intake-role-victim"));
    await expectText(user, t, "intake-location-question");
    await user.sendsVenue(50.5441, 30.2132, "Ірпінь", "вул. Центральна 5");
    await expectText(user, t, "intake-region-question");
    await user.says("Київська");
    await expectText(user, t, "intake-date-question");
    await user.says("05.03.2022");
    await expectText(user, t, "intake-item-category-question", { number: 1 });
    await user.taps(t("intake-category-electronics"));
    await expectText(user, t, "intake-item-description-question", { number: 1, category: t("intake-category-electronics") });
    await user.says("Ноутбук Lenovo ThinkPad, сірий");
    await expectText(user, t, "intake-item-quantity-question");
    await user.says("2 шт");
    await expectText(user, t, "intake-item-value-question");
    await user.says("40 000 грн");
    await expectText(user, t, "intake-item-identifier-question");
    await user.says("PF-2ABCDE");
    await expectText(user, t, "intake-item-more-question", { count: 1, last: "Ноутбук Lenovo ThinkPad, сірий" });
    await user.taps(t("intake-item-more-add"));
    await expectText(user, t, "intake-item-category-question", { number: 2 });
    await user.taps(t("intake-category-jewellery"));
    await user.nextReply();
    await user.says("Золота обручка");
    await user.nextReply();
    await user.taps("1");
    await user.nextReply();
    await user.says("500");
    await expectText(user, t, "intake-item-value-currency", { amount: "500.00" });
    await user.taps("USD");
    await user.nextReply();
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-item-more-question", { count: 2, last: "Золота обручка" });
    await user.taps(t("intake-item-more-done"));
    await expectText(user, t, "intake-perpetrators-question");
    await user.taps(t("intake-perpetrators-tell"));
    await expectText(user, t, "intake-perp-units-question");
    await user.says("Шеврони з буквою V");
    await expectText(user, t, "intake-perp-vehicles-question");
    await user.says("КамАЗ з літерою V");
    await expectText(user, t, "intake-perp-count-question");
    await user.says("5");
    await expectText(user, t, "intake-perp-words-question");
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-photos-question", { max: 20 });
    await user.sendsPhoto(await corpus("jpg_Canon_40D.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 1, max: 20 });
    await user.taps(t("intake-photos-done"));
    await expectText(user, t, "intake-narrative-question", { max: 4000 });
    await user.says("Вони прийшли вранці й винесли все з хати.");
    await expectText(user, t, "intake-contact-question");
    await user.taps(t("intake-contact-yes"));
    const review = await readReview(user, t);
    const summary = review.map((r) => r.body).join("\n");
    expect(summary).toContain("Ноутбук Lenovo ThinkPad, сірий");
    expect(summary).toContain("40000.00 UAH");
    expect(summary).toContain("05.03.2022");
    expect(summary).toContain(t("intake-region-kyivska"));
    const ref = await submit(user, t);
    await user.settled();

    const { case: c, items, photos, events } = await caseByRef(svidok.db, ref);
    expect(c).toMatchObject({
      role: "victim",
      status: "new",
      region: "kyivska",
      latitude: 50.5441,
      longitude: 30.2132,
      address: "Ірпінь, вул. Центральна 5",
      incident_date: "2022-03-05",
      incident_date_precision: "day",
      perpetrator_units: "Шеврони з буквою V",
      perpetrator_vehicles: "КамАЗ з літерою V",
      perpetrator_count: 5,
      perpetrator_words: null,
      narrative: "Вони прийшли вранці й винесли все з хати.",
      contact_allowed: true,
      consent_version: "2026-01",
      locale: "uk",
    });
    expect(items.map((i) => [i.category, i.description, i.quantity, i.value_amount, i.value_currency, i.identifier, i.identifier_kind])).toEqual([
      ["electronics", "Ноутбук Lenovo ThinkPad, сірий", 2, "40000.00", "UAH", "PF-2ABCDE", "serial"],
      ["jewellery", "Золота обручка", 1, "500.00", "USD", null, null],
    ]);
    expect(photos).toHaveLength(1);
    expect(photos[0]).toMatchObject({ draft_key: null, mime: "image/jpeg" });
    expect(events.map((e) => [e.kind, e.actor_kind, e.to_status])).toEqual([["submitted", "reporter", "new"]]);
    const reporter = await svidok.db.selectFrom("reporters").selectAll().where("id", "=", c.reporter_id!).executeTakeFirstOrThrow();
    expect(reporter.contact_chat_enc).not.toBeNull();
    expect(reporter.contact_chat_enc).not.toContain(String(user.id));
    expect(await svidok.db.selectFrom("drafts").select("draft_key").where("reporter_id", "=", c.reporter_id!).execute()).toEqual([]);
  });

  it("in English, with a pin, an album of five, a GPS photo sent as a file, and refused PDF and video", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await user.says("/new");
    await user.nextReply();
    await user.taps(t("intake-consent-agree"));
    await user.nextReply();
    await user.taps(t("intake-role-trafficking"));
    await user.nextReply();
    await user.sendsLocation(51.8, 30.5);
    await user.nextReply();
    await user.taps(t("intake-region-not_in_ukraine"));
    await user.nextReply();
    await user.says("04.2022");
    await user.nextReply();
    await user.taps(t("intake-category-electronics"));
    await user.nextReply();
    await user.says("iPhone 13");
    await user.nextReply();
    await user.says("3");
    await user.nextReply();
    await user.says("$700");
    await user.nextReply();
    await user.says("490154203237518");
    await expectText(user, t, "intake-item-more-question", { count: 1, last: "iPhone 13" });
    await user.taps(t("intake-item-more-done"));
    await user.nextReply();
    await user.taps(t("intake-button-skip"));
    await expectText(user, t, "intake-photos-question", { max: 20 });

    const album = await Promise.all(
      ["jpg_Nikon_D70.jpg", "jpg_Sony_HDR-HC3.jpg", "jpg_Ricoh_Caplio_RR330.jpg", "jpg_Fujifilm_FinePix6900ZOOM.jpg", "jpg_Nikon_COOLPIX_P1.jpg"].map(corpus),
    );
    await user.sendsAlbum(album);
    await user.settled({ timeoutMs: 30_000 });
    const acknowledgement = await expectText(user, t, "intake-photos-received-album", { received: 1, total: 1, max: 20 });
    const edits = user.drainReplies();
    expect(edits.every((e) => e.edited && e.messageId === acknowledgement.messageId), JSON.stringify(edits.map((e) => e.body))).toBe(true);
    const ack = user.messages().find((m) => m.messageId === acknowledgement.messageId)!;
    expect(ack.text).toBe(t("intake-photos-received-album", { received: 5, total: 5, max: 20 }));
    expect(svidok.api.callsTo("sendMessage").filter((c) => c.params.chat_id === user.id && String(c.params.text).includes("album")).length).toBe(1);

    await user.sendsDocument(await corpus("jpg_gps_DSCN0010.jpg"), { fileName: "IMG_0010.jpg", mimeType: "image/jpeg" });
    await expectText(user, t, "intake-photos-received", { total: 6, max: 20 });
    await user.sendsDocument(await corpus("pdf_document.pdf"), { fileName: "photo.jpg", mimeType: "image/jpeg" });
    await expectText(user, t, "intake-photo-rejected-not_an_image");
    await user.sendsVideo();
    await expectText(user, t, "intake-photos-refused-video");
    const oversized = await user.sendsDocument(await corpus("jpg_Canon_40D.jpg"), {
      fileName: "big.jpg",
      mimeType: "image/jpeg",
      reportedSize: 25 * 1024 * 1024,
    });
    await expectText(user, t, "intake-photo-rejected-too_large");
    expect(svidok.api.downloadCount(oversized.message!.document!.file_id)).toBe(0);
    await user.sendsSticker();
    await expectText(user, t, "intake-photos-refused-sticker");

    await finishFromPhotos(user, t, "done");
    const ref = await submit(user, t);
    await user.settled();
    const { case: c, items, photos, events } = await caseByRef(svidok.db, ref);
    expect(c).toMatchObject({ role: "trafficking", region: "not_in_ukraine", latitude: 51.8, longitude: 30.5, incident_date: "2022-04-01", incident_date_precision: "month", locale: "en", contact_allowed: false });
    expect(items).toMatchObject([{ category: "electronics", quantity: 3, value_amount: "700.00", value_currency: "USD", identifier: "490154203237518", identifier_kind: "imei", identifier_valid: true }]);
    expect(photos).toHaveLength(6);
    expect(events).toHaveLength(1);
    // The GPS photo sent as a file: stored without any metadata, its place kept apart for investigators.
    const original = await exifr.gps(await corpus("jpg_gps_DSCN0010.jpg"));
    expect(original?.latitude).toBeDefined();
    const gpsPhoto = photos[5]!;
    const stored = gpsPhoto.data!;
    expect(await exifr.parse(stored, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: false })).toBeUndefined();
    expect(await exifr.gps(stored)).toBeUndefined();
    expect(stored.includes(Buffer.from("NIKON"))).toBe(false);
    expect(gpsPhoto.evidence_latitude).toBeCloseTo(original!.latitude, 4);
    expect(gpsPhoto.evidence_longitude).toBeCloseTo(original!.longitude, 4);
  });

  it("takes at most 20 photos and says so once per album", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(user, t);
    const pictures = await Promise.all(Array.from({ length: 22 }, (_, i) => picture(i)));
    await user.sendsAlbum(pictures.slice(0, 10));
    await user.sendsAlbum(pictures.slice(10, 19));
    await user.settled({ timeoutMs: 60_000 });
    await user.sendsPhoto(pictures[19]!);
    await user.waitForReply((r) => r.body.startsWith(t("intake-photos-received", { total: 20, max: 20 })));
    await user.sendsAlbum(pictures.slice(20, 22));
    await user.waitForReply(t("intake-photos-limit", { max: 20 }));
    await user.settled({ timeoutMs: 30_000 });
    expect(user.drainReplies().filter((r) => r.body === t("intake-photos-limit", { max: 20 }))).toEqual([]);
    const review = await finishFromPhotos(user, t, "done");
    expect(review.map((r) => r.body).join("\n")).toContain(`${t("intake-summary-photos")}: 20`);
    const ref = await submit(user, t);
    await user.settled();
    expect((await caseByRef(svidok.db, ref)).photos).toHaveLength(20);
  });
});
