import { afterEach, describe, expect, it } from "vitest";
import { pendingCardsJob } from "../../src/bot/features/moderation/desk.js";
import { testDatabaseKind } from "../helpers/test-database.js";
import { finishFromPhotos, reportUntilPhotos, submit, translator } from "../intake/flow.js";
import { insertCase } from "./fixtures.js";
import { jpegs, type ModerationWorld, startModerationWorld } from "./world.js";

let world: ModerationWorld | undefined;

afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const groupProblemLines = (logs: Record<string, unknown>[]) =>
  logs.filter((l) => typeof l.msg === "string" && l.msg.startsWith("moderators' group unavailable"));

describe(`case cards in the moderators' group on ${testDatabaseKind}`, () => {
  it("posts the card, the pin and the photos as albums of up to ten", async () => {
    world = await startModerationWorld();
    const { api, group } = world;
    const pictures = await jpegs(11);
    const reporter = await world.reporter({ contact: true });
    const c = await world.submit({
      reporter,
      latitude: 50.5433,
      longitude: 30.2123,
      address: "Bucha, Vokzalna 12",
      region: "kyivska",
      narrative: "Soldiers of the unit loaded the fridge and the TV into a truck.",
      items: [
        { category: "electronics", description: "Samsung TV", identifier: "SN-4471-XQ", identifier_kind: "serial" },
        { category: "electronics", description: "iPhone 12", identifier: "356938035643809", identifier_kind: "imei", identifier_valid: true },
        { category: "appliances", description: "Fridge", quantity: 2, value_amount: "15000.00", value_currency: "UAH" },
      ],
      photos: pictures.map((data, i) => ({ data, perceptualHash: (0x1234_5678_9abc_def0n + BigInt(i) * 0x0f0f_0f0f_0f0f_0f0fn).toString(16).slice(-16).padStart(16, "0") })),
    });

    const outputs = api.outputs(group.id);
    expect(outputs.map((o) => o.method)).toEqual(["sendMessage", "sendLocation", "sendMediaGroup", "sendPhoto"]);
    const card = outputs[0]!;
    for (const expected of [
      c.ref,
      "New",
      "my home was looted",
      "Kyiv", // region name from intake's translations, or its code before they exist
      "Bucha, Vokzalna 12",
      "50.54330, 30.21230",
      "01.03.2024",
      "Samsung TV",
      "S/N SN-4471-XQ",
      "IMEI 356938035643809",
      "Fridge ×2",
      "15000.00 UAH",
      "64th brigade insignia",
      "Number of people: 4",
      "Soldiers of the unit loaded the fridge",
      "Photos: 11",
      "Contact allowed: yes",
    ]) {
      expect(card.body.toLowerCase()).toContain(expected.toLowerCase());
    }
    expect(card.buttons).toEqual(["🙋 Take", "✅ Verify", "⛔ Reject", "❓ Needs info", "🔁 Duplicate", "📝 Note", "📂 Details and history"]);
    expect(outputs[1]!.location).toEqual({ latitude: 50.5433, longitude: 30.2123 });

    const album = outputs[2]!;
    expect(album.messageIds).toHaveLength(10);
    expect(album.caption).toContain(`${c.ref}: photos 1–10 of 11`);
    const sent = [...album.attachments, ...outputs[3]!.attachments].map((a) => a.bytes);
    expect(sent.map((b) => b.length)).toEqual(pictures.map((p) => p.length));
    expect(sent.every((b, i) => b.equals(pictures[i]!))).toBe(true);
    for (const o of outputs.slice(1)) expect(o.messages[0]?.reply_to_message?.message_id).toBe(card.messageId);

    const row = await world.svidok.db.selectFrom("moderation_cards").selectAll().where("case_id", "=", c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ chat_id: group.id, message_id: card.messageId });
  });

  it("a report submitted through the bot produces a card and an album in the group", async () => {
    world = await startModerationWorld();
    const { api, group, svidok } = world;
    const reporter = svidok.user({ languageCode: "uk" });
    const t = translator("uk");
    await reportUntilPhotos(reporter, t);
    await reporter.sendsAlbum(await jpegs(3));
    await reporter.settled();
    reporter.drainReplies();
    await finishFromPhotos(reporter, t, "done");
    const ref = await submit(reporter, t);

    const card = await api.waitFor(() => api.outputs(group.id).find((o) => o.method === "sendMessage" && o.body.includes(ref)));
    expect(card.body).toContain("Bosch washing machine");
    expect(card.body).toContain("Photos: 3");
    expect(card.buttons).toContain("🙋 Take");
    const album = await api.waitFor(() => api.outputs(group.id).find((o) => o.method === "sendMediaGroup" && o.caption?.includes(ref)));
    const stored = await svidok.db
      .selectFrom("photos")
      .innerJoin("cases", "cases.id", "photos.case_id")
      .select("photos.data")
      .where("cases.ref", "=", ref)
      .orderBy("photos.created_at")
      .execute();
    expect(album.attachments.map((a) => a.bytes.toString("hex"))).toEqual(stored.map((p) => p.data!.toString("hex")));
  });

  it("posts a card once even when told twice, and posts cards left over at start-up", async () => {
    world = await startModerationWorld();
    const { api, group, svidok } = world;
    const c = await world.submit();
    await svidok.app.services.notifyCaseSubmitted?.(c.id);
    await svidok.app.bot.moderation.idle();
    expect(api.outputs(group.id).filter((o) => o.method === "sendMessage")).toHaveLength(1);

    const missed = await insertCase(svidok.db);
    await svidok.restart();
    await api.waitFor(() => api.outputs(group.id).find((o) => o.body.includes(missed.ref)));

    const later = await insertCase(svidok.db);
    // A case just submitted is left to the post its submission started.
    expect(await pendingCardsJob(svidok.app.bot.moderation).run(new AbortController().signal)).toEqual({ cards: 0, redrawn: 0 });
    const job = pendingCardsJob(svidok.app.bot.moderation, { graceMs: 0 });
    expect(await job.run(new AbortController().signal)).toEqual({ cards: 1, redrawn: 0 });
    expect(api.outputs(group.id).filter((o) => o.body.includes(later.ref))).toHaveLength(1);
    expect(await job.run(new AbortController().signal)).toEqual({ cards: 0, redrawn: 0 });
  });

  it("redraws the card of a case its reporter withdrew", async () => {
    world = await startModerationWorld();
    const reporter = await world.reporter();
    const c = await world.submit({ reporter });
    expect((await world.card(c.id)).text).toContain("— New");
    await reporter.user.says(`/withdraw ${c.ref}`);
    await reporter.user.nextReply();
    await reporter.user.taps("Так, відкликати");
    await reporter.user.settled();
    expect((await world.svidok.db.selectFrom("cases").select("status").where("id", "=", c.id).executeTakeFirstOrThrow()).status).toBe("withdrawn");
    const job = pendingCardsJob(world.svidok.app.bot.moderation, { graceMs: 0 });
    expect(await job.run(new AbortController().signal)).toEqual({ cards: 0, redrawn: 1 });
    const card = await world.card(c.id);
    expect(card.text).toContain("— Withdrawn by the reporter");
    expect(card.text).toContain("Last: withdrawn by the reporter — reporter");
    expect(card.buttons).toEqual(["📝 Note", "📂 Details and history"]);
    expect(await job.run(new AbortController().signal)).toEqual({ cards: 0, redrawn: 0 });
  });

  it("without a configured group, cases are kept and the problem is logged once", async () => {
    world = await startModerationWorld({ group: "unset" });
    const cases = [await world.submit(), await world.submit(), await world.submit()];
    expect(await world.svidok.db.selectFrom("cases").select("id").execute()).toHaveLength(3);
    expect(groupProblemLines(world.logs)).toHaveLength(1);
    expect(await world.svidok.db.selectFrom("moderation_cards").selectAll().execute()).toEqual([]);
    expect(cases.every((c) => c.status === "new")).toBe(true);
  });

  it("when the bot is not in the group, cases are kept and the problem is logged once", async () => {
    world = await startModerationWorld({ group: "bot-removed" });
    for (let i = 0; i < 3; i++) await world.submit();
    expect(await world.svidok.db.selectFrom("cases").select("id").execute()).toHaveLength(3);
    expect(groupProblemLines(world.logs)).toHaveLength(1);
    expect(await world.svidok.db.selectFrom("moderation_cards").selectAll().execute()).toEqual([]);
    expect(world.logs.filter((l) => l.level === 50)).toEqual([]);
  });
});
