import type { Chat } from "grammy/types";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramLimits } from "../../src/bot/api-transformers.js";
import { reporterContactOf } from "../../src/cases/moderation.js";
import { FakeBotApi } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { expectText, reportUntilPhotos, translator } from "../intake/flow.js";
import { eventsOf, insertCase } from "../moderation/fixtures.js";
import { fileReport } from "./flows.js";

function picture(shade: number): Promise<Buffer> {
  return sharp({ create: { width: 60, height: 40, channels: 3, background: { r: shade, g: 90, b: 255 - shade } } }).jpeg().toBuffer();
}

describe("/deletemydata", { timeout: 300_000 }, () => {
  let api: FakeBotApi;
  let group: Chat.GroupChat | Chat.SupergroupChat;
  let adminId: number;
  let svidok: RunningSvidok;
  beforeAll(async () => {
    api = await FakeBotApi.start();
    group = api.createGroup("Moderators");
    adminId = api.allocateUserId();
    svidok = await startSvidok({
      api,
      apiLimits: { ...telegramLimits, group: { maxConcurrent: 1 } },
      env: { ADMIN_IDS: String(adminId), MODERATION_CHAT_ID: String(group.id), DEFAULT_LOCALE: "en" },
    });
  });
  afterAll(async () => {
    await svidok?.stop();
    await api?.stop();
  });

  it("withdraws unverified reports and deletes their photos, leaves verified ones unlinked, and /mycases then shows nothing", async () => {
    const db = svidok.db;
    const en = translator("en");
    const admin = svidok.user({ id: adminId, languageCode: "en" });
    const reporter = svidok.user({ languageCode: "en" });
    const openRef = await fileReport(reporter, en, { contact: true, photo: await picture(200) });
    const reporterRow = await db.selectFrom("reporters").select(["id", "pseudonym"]).executeTakeFirstOrThrow();
    // An earlier report of theirs, verified by a moderator. (Written directly: one person filing two reports in a
    // row would run into the flood limit.)
    const earlier = await insertCase(db, { reporterId: reporterRow.id, locale: "en", photos: [{ data: await picture(10), perceptualHash: "0f0f0f0f0f0f0f0f" }] });
    const verifiedRef = earlier.ref;
    await admin.says(`/take ${verifiedRef}`);
    await admin.waitForReply(`${verifiedRef} is yours now`);
    await admin.says(`/verify ${verifiedRef}`);
    await admin.waitForReply(`${verifiedRef} verified.`);
    await reporter.waitForReply(new RegExp(`${verifiedRef} has been checked and verified`));
    await reporter.settled();
    const sessionKey = `session:${reporterRow.pseudonym}`;
    expect(await db.selectFrom("bot_storage").select("key").where("key", "=", sessionKey).execute()).toHaveLength(1);
    const caseIds = Object.fromEntries(
      (await db.selectFrom("cases").select(["ref", "id"]).execute()).map((c) => [c.ref, c.id]),
    ) as Record<string, string>;

    await reporter.says("/deletemydata");
    const question = await reporter.waitForReply(/This erases everything/);
    expect(question.body).toBe(
      [en("erasure-confirm-intro"), en("erasure-confirm-withdraw", { count: 1 }), en("erasure-confirm-keep", { count: 1 }), en("erasure-confirm-final")].join("\n"),
    );
    await reporter.taps(en("erasure-no"));
    await reporter.waitForReply(en("erasure-kept"));
    await reporter.settled();
    expect(await db.selectFrom("reporters").select("id").execute()).toHaveLength(1);
    expect(await db.selectFrom("cases").select("status").where("id", "=", caseIds[openRef]!).executeTakeFirstOrThrow()).toEqual({ status: "new" });

    await reporter.says("/deletemydata");
    await reporter.waitForReply(/This erases everything/);
    await reporter.taps(en("erasure-yes"));
    const done = await reporter.waitForReply(en("erasure-done-intro"));
    expect(done.body).toBe(
      [en("erasure-done-intro"), en("erasure-done-withdrawn", { count: 1 }), en("erasure-done-kept", { count: 1 }), en("erasure-done-outro")].join("\n\n"),
    );
    await reporter.settled();

    const verified = await db.selectFrom("cases").selectAll().where("id", "=", caseIds[verifiedRef]!).executeTakeFirstOrThrow();
    expect(verified).toMatchObject({ status: "verified", reporter_id: null });
    const verifiedPhotos = await db.selectFrom("photos").select(["data"]).where("case_id", "=", verified.id).execute();
    expect(verifiedPhotos.length).toBe(1);
    expect(verifiedPhotos[0]!.data).not.toBeNull();

    const withdrawn = await db.selectFrom("cases").selectAll().where("id", "=", caseIds[openRef]!).executeTakeFirstOrThrow();
    expect(withdrawn).toMatchObject({ status: "withdrawn", reporter_id: null });
    const withdrawnPhotos = await db.selectFrom("photos").select(["data", "data_deleted_at", "sha256"]).where("case_id", "=", withdrawn.id).execute();
    expect(withdrawnPhotos).toEqual([{ data: null, data_deleted_at: expect.any(Date), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect((await eventsOf(db, withdrawn.id)).map((e) => [e.kind, e.to_status])).toEqual([
      ["submitted", "new"],
      ["withdrawn", "withdrawn"],
      ["photos_deleted", null],
      ["reporter_unlinked", null],
    ]);
    expect((await eventsOf(db, verified.id)).map((e) => e.kind).at(-1)).toBe("reporter_unlinked");
    expect(await db.selectFrom("reporters").select("id").execute()).toEqual([]);
    expect(await db.selectFrom("bot_storage").select("key").where("key", "=", sessionKey).execute()).toEqual([]);

    await reporter.says("/mycases");
    await expectText(reporter, en, "reporter-mycases-none");
    await reporter.says(`/status ${verifiedRef}`);
    await expectText(reporter, en, "reporter-not-found", { ref: verifiedRef });

    // Moderators can no longer write to the person: the contact went with the identity.
    expect(await reporterContactOf(db, verified)).toBeUndefined();
  });

  it("in the middle of a report: the draft, its photos and the conversation go too, and the next /new starts afresh", async () => {
    const db = svidok.db;
    const en = translator("en");
    const reporter = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(reporter, en);
    await reporter.sendsPhoto(await picture(120));
    await expectText(reporter, en, "intake-photos-received", { total: 1, max: 20 });
    await reporter.settled();
    const pseudonym = svidok.app.services.pseudonymize(reporter.id);
    const draft = await db
      .selectFrom("drafts")
      .innerJoin("reporters", "reporters.id", "drafts.reporter_id")
      .select("drafts.draft_key")
      .where("reporters.pseudonym", "=", pseudonym)
      .executeTakeFirstOrThrow();
    expect(await db.selectFrom("photos").select("id").where("draft_key", "=", draft.draft_key).execute()).toHaveLength(1);

    await reporter.says("/deletemydata");
    const question = await reporter.waitForReply(/This erases everything/);
    expect(question.body).toBe([en("erasure-confirm-intro"), en("erasure-confirm-draft"), en("erasure-confirm-final")].join("\n"));
    await reporter.taps(en("erasure-yes"));
    await reporter.waitForReply(en("erasure-done-intro"));
    await reporter.settled();
    expect(await db.selectFrom("drafts").select("draft_key").where("draft_key", "=", draft.draft_key).execute()).toEqual([]);
    expect(await db.selectFrom("photos").select("id").where("draft_key", "=", draft.draft_key).execute()).toEqual([]);
    expect(await db.selectFrom("reporters").select("id").where("pseudonym", "=", pseudonym).execute()).toEqual([]);
    expect(await db.selectFrom("bot_storage").select("key").where("key", "=", `session:${pseudonym}`).execute()).toEqual([]);

    // The question that was waiting for photos is gone: a photo now is not taken into any report.
    await reporter.sendsPhoto(await picture(30));
    await expectText(reporter, en, "unhandled-hint");
    await reporter.settled();
    expect(await db.selectFrom("photos").select("id").where("case_id", "is", null).execute()).toEqual([]);
    await reporter.says("/new");
    await expectText(reporter, en, "intake-consent-question", { version: "2026-01" });
  });

  it("tells someone who never reported that nothing links them to a report", async () => {
    const en = translator("en");
    const stranger = svidok.user({ languageCode: "en" });
    await stranger.says("/start");
    await stranger.nextReply();
    await stranger.says("/deletemydata");
    await expectText(stranger, en, "erasure-nothing");
  });
});
