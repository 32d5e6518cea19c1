import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeCase } from "../../src/cases/moderation.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { testDatabaseKind } from "../helpers/test-database.js";
import { expectText, translator } from "../intake/flow.js";
import { eventsOf } from "./fixtures.js";
import { type ModerationWorld, startModerationWorld } from "./world.js";

let world: ModerationWorld;
let olenaInGroup: TelegramUser;

beforeAll(async () => {
  world = await startModerationWorld();
  olenaInGroup = world.olena.inGroup(world.group);
});

afterAll(async () => {
  await world?.stop();
});

/** A photograph-like picture: smooth gradients and shapes, so its perceptual hash means something. */
async function scene(seed: number): Promise<Buffer> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const wave = Math.sin((x + seed * 97) / (40 + seed * 7)) * Math.cos((y - seed * 53) / (30 + seed * 5));
      pixels[i] = Math.round(127 + 120 * wave);
      pixels[i + 1] = Math.round(((x * (seed + 2)) / width) * 255) % 256;
      pixels[i + 2] = Math.round(((y * (seed + 3)) / height) * 255) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

describe(`questions to reporters, and links between cases, on ${testDatabaseKind}`, () => {
  it("needinfo round trip: the question reaches the reporter, their text and photo come back to the case and the group", async () => {
    const reporter = await world.reporter({ contact: true, locale: "uk" });
    const c = await world.submit({ reporter, locale: "uk" });
    await takeCase(world.deps, { caseId: c.id, actorId: world.olena.id });

    const card = await world.card(c.id);
    const needs = card.replyMarkup && "inline_keyboard" in card.replyMarkup ? card.replyMarkup.inline_keyboard.flat().find((b) => b.text === "❓ Needs info") : undefined;
    await olenaInGroup.tapsData((needs as { callback_data: string }).callback_data, { messageId: card.messageId });
    const prompt = await olenaInGroup.waitForReply(/what should the reporter of .* be asked\?/);
    await olenaInGroup.says("Which floor was the flat on, and was the door forced?", { replyTo: prompt.messageId });
    await olenaInGroup.waitForReply(`Question sent to the reporter of ${c.ref}`);
    await olenaInGroup.settled();
    expect((await world.svidok.db.selectFrom("cases").select("status").where("id", "=", c.id).executeTakeFirstOrThrow()).status).toBe("needs_info");

    const question = await reporter.user.expectReply(/Модератор має питання щодо вашої заяви/);
    expect(question.body).toContain("Which floor was the flat on, and was the door forced?");
    expect(question.body).not.toMatch(/Olena/);

    await reporter.user.says("Третій поверх, двері вибиті", { replyTo: question.messageId });
    await reporter.user.expectReply(`Дякуємо. Вашу відповідь додано до заяви ${c.ref}.`);
    const photo = await scene(1);
    await reporter.user.sendsPhoto(photo);
    await reporter.user.expectReply(`Також додано до заяви ${c.ref}.`);
    await reporter.user.settled();

    const after = await world.svidok.db.selectFrom("cases").select("status").where("id", "=", c.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("in_review");
    const events = (await eventsOf(world.svidok.db, c.id)).filter((e) => e.kind.startsWith("info_"));
    expect(events.map((e) => [e.kind, e.from_status, e.to_status, e.text])).toEqual([
      ["info_requested", "in_review", "needs_info", "Which floor was the flat on, and was the door forced?"],
      ["info_received", "needs_info", "in_review", "Третій поверх, двері вибиті"],
      ["info_received", null, null, null],
    ]);
    const stored = await world.svidok.db.selectFrom("photos").select(["source", "data", "mime"]).where("case_id", "=", c.id).execute();
    expect(stored.map((p) => p.source)).toEqual(["needinfo"]);
    // The stored picture is the sanitized copy, never the bytes as sent.
    expect(Buffer.compare(stored[0]!.data!, photo)).not.toBe(0);

    const text = await olenaInGroup.waitForReply(/answer from the reporter:\nТретій поверх, двері вибиті/);
    expect(text.messages[0]?.reply_to_message?.message_id).toBe(card.messageId);
    const posted = await olenaInGroup.waitForReply((r) => r.method === "sendPhoto" && r.body.includes(c.ref));
    expect(posted.attachments[0]!.bytes.equals(stored[0]!.data!)).toBe(true);
    expect((await world.card(c.id)).text).toContain("In review");

    const logged = JSON.stringify(world.logs);
    expect(logged).toContain(c.ref);
    for (const secret of [String(reporter.user.id), "Третій поверх", "Which floor", "door was forced"]) {
      expect(logged).not.toContain(secret);
    }
  });

  it("a reporter filling in a new report is not taken to be answering the question", async () => {
    const reporter = await world.reporter({ contact: true, locale: "uk" });
    const c = await world.submit({ reporter, locale: "uk" });
    await takeCase(world.deps, { caseId: c.id, actorId: world.olena.id });
    await world.olena.says(`/needinfo ${c.ref} Was anyone hurt?`);
    await world.olena.waitForReply(`Question sent to the reporter of ${c.ref}`);
    await reporter.user.expectReply(/Модератор має питання/);

    const t = translator("uk");
    await reporter.user.says("/new");
    await expectText(reporter.user, t, "intake-consent-question", { version: "2026-01" });
    await reporter.user.taps(t("intake-consent-agree"));
    await expectText(reporter.user, t, "intake-role-question");
    await reporter.user.taps(t("intake-role-witness"));
    await expectText(reporter.user, t, "intake-location-question");
    await reporter.user.says("Ірпінь, вул. Соборна 1");
    await expectText(reporter.user, t, "intake-region-question");
    await reporter.user.settled();
    const after = await world.svidok.db.selectFrom("cases").select("status").where("id", "=", c.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("needs_info");
    expect((await eventsOf(world.svidok.db, c.id)).filter((e) => e.kind === "info_received")).toEqual([]);
  });

  it("two cases sharing an IMEI are flagged on each other's cards and found by /find", async () => {
    const first = await world.submit({ items: [{ category: "electronics", description: "iPhone 13", identifier: "356938035643809", identifier_kind: "imei" }] });
    const second = await world.submit({ items: [{ category: "electronics", description: "Phone at the market", identifier: "35 693803 564380 9", identifier_kind: "imei" }] });
    expect((await world.card(second.id)).text).toContain(`is also reported in ${first.ref}`);
    const firstCard = await world.card(first.id);
    expect(firstCard.edited).toBe(true);
    expect(firstCard.text).toContain(`is also reported in ${second.ref}`);

    await world.olena.says("/find 356938035643809");
    const found = await world.olena.waitForReply(/Found/);
    expect(found.body).toContain(first.ref);
    expect(found.body).toContain(second.ref);
    expect(found.buttons).toEqual(expect.arrayContaining([first.ref, second.ref]));
  });

  it("two cases sharing a photo, one re-compressed, are flagged on each other's cards and found by /find", async () => {
    const sanitizer = world.svidok.app.services.sanitizer;
    const original = await scene(2);
    const recompressed = await sharp(original).resize(480).jpeg({ quality: 60 }).toBuffer();
    const unrelated = await scene(5);
    const asStored = async (bytes: Buffer) => {
      const image = await sanitizer.sanitize(bytes);
      return { data: image.data, perceptualHash: image.perceptualHash };
    };
    const first = await world.submit({ narrative: "Truck with the letter V near the post office", photos: [await asStored(original)] });
    const other = await world.submit({ photos: [await asStored(unrelated)] });
    const second = await world.submit({ narrative: "Same truck, a day later, post office queue", photos: [await asStored(recompressed)] });
    expect((await world.card(second.id)).text).toContain(`A photo of this case also appears in ${first.ref}`);
    expect((await world.card(first.id)).text).toContain(`A photo of this case also appears in ${second.ref}`);
    expect((await world.card(other.id)).text).not.toContain("A photo of this case also appears");

    await world.olena.says("/find post office");
    const found = await world.olena.waitForReply(/Found/);
    expect(found.body).toContain(first.ref);
    expect(found.body).toContain(second.ref);
    expect(found.body).not.toContain(other.ref);
  });
});
