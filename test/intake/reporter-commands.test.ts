import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { expectText, finishFromPhotos, reportUntilPhotos, submit, translator } from "./flow.js";

let svidok: RunningSvidok;
beforeAll(async () => {
  svidok = await startSvidok();
});
afterAll(async () => {
  await svidok?.stop();
});

describe.concurrent("the reporter's commands", { timeout: 150_000 }, () => {
  it("/status answers for another reporter's reference exactly as for an unknown one; /mycases and /withdraw", async () => {
    const t = translator("en");
    const owner = svidok.user({ languageCode: "en" });
    const stranger = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(owner, t);
    await finishFromPhotos(owner, t);
    const ref = await submit(owner, t);

    await owner.says(`/status ${ref.toLowerCase()}`);
    const mine = await owner.nextReply();
    expect(mine.body).toContain(ref);
    expect(mine.body).toContain(t("reporter-status-new"));

    await stranger.says(`/status ${ref}`);
    const theirs = await stranger.nextReply();
    const unknownRef = ref.endsWith("2") ? `${ref.slice(0, -1)}3` : `${ref.slice(0, -1)}2`;
    await stranger.says(`/status ${unknownRef}`);
    const unknown = await stranger.nextReply();
    expect(theirs.body).toBe(t("reporter-not-found", { ref }));
    expect(unknown.body).toBe(t("reporter-not-found", { ref: unknownRef }));
    expect(theirs.body.replace(ref, "REF")).toBe(unknown.body.replace(unknownRef, "REF"));
    expect(theirs.buttons).toEqual(unknown.buttons);
    await stranger.says(`/withdraw ${ref}`);
    expect((await stranger.nextReply()).body).toBe(t("reporter-not-found", { ref }));

    await owner.says("/mycases");
    const list = await owner.nextReply();
    expect(list.body).toContain(ref);
    await owner.says(`/withdraw ${ref}`);
    await expectText(owner, t, "reporter-withdraw-confirm", { ref });
    await owner.taps(t("reporter-withdraw-no"));
    await expectText(owner, t, "reporter-withdraw-kept");
    await owner.says(`/withdraw ${ref}`);
    await owner.nextReply();
    await owner.taps(t("reporter-withdraw-yes"));
    await expectText(owner, t, "reporter-withdraw-done", { ref });
    await owner.settled();
    const c = await svidok.db.selectFrom("cases").select(["id", "status"]).where("ref", "=", ref).executeTakeFirstOrThrow();
    expect(c.status).toBe("withdrawn");
    const events = await svidok.db.selectFrom("case_events").select(["kind", "actor_kind", "from_status", "to_status"]).where("case_id", "=", c.id).orderBy("id").execute();
    expect(events).toEqual([
      { kind: "submitted", actor_kind: "reporter", from_status: null, to_status: "new" },
      { kind: "withdrawn", actor_kind: "reporter", from_status: "new", to_status: "withdrawn" },
    ]);
    await owner.says(`/withdraw ${ref}`);
    await expectText(owner, t, "reporter-withdraw-not-allowed", { ref, status: t("reporter-status-withdrawn") });
  });

  it("/wipe calls deleteMessages with the ids of both sides of the conversation, and says what it could not delete", async () => {
    const t = translator("uk");
    const user = svidok.user({ languageCode: "uk" });
    await reportUntilPhotos(user, t);
    await finishFromPhotos(user, t);
    await submit(user, t);
    await user.settled();
    const before = svidok.api.messagesIn(user.chat.id);
    const personIds = before.filter((m) => !m.fromBot).map((m) => m.message.message_id);
    const botIds = before.filter((m) => m.fromBot).map((m) => m.message.message_id);
    expect(personIds.length).toBeGreaterThanOrEqual(2);
    expect(botIds.length).toBeGreaterThan(3);

    await user.says("/wipe");
    const reply = await user.waitForReply((r) => r.body.includes(t("reporter-wipe-how")));
    expect(reply.body.startsWith(t("reporter-wipe-done"))).toBe(true);
    await user.settled();
    const deleted = svidok.api
      .callsTo("deleteMessages")
      .filter((c) => Number(c.params.chat_id) === user.chat.id)
      .flatMap((c) => c.params.message_ids as number[]);
    for (const id of [...personIds, ...botIds]) expect(deleted).toContain(id);
    const wipeId = Math.max(...svidok.api.messagesIn(user.chat.id).filter((m) => !m.fromBot).map((m) => m.message.message_id));
    expect(deleted).toContain(wipeId);
    for (const call of svidok.api.callsTo("deleteMessages")) expect((call.params.message_ids as number[]).length).toBeLessThanOrEqual(100);
    const remaining = svidok.api.messagesIn(user.chat.id).filter((m) => !m.deleted);
    expect(remaining.map((m) => m.message.message_id)).toEqual([reply.messageId]);
  });
});

// Alone: it moves the fake Telegram's clock, which every chat shares.
describe("/wipe later", () => {
  it("/wipe after two days says older messages are out of reach", async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await user.says("/start");
    await user.nextReply();
    await user.settled();
    svidok.api.advanceTime(3 * 24 * 3600);
    await user.says("/help");
    await user.nextReply();
    await user.says("/wipe");
    const reply = await user.nextReply();
    expect(reply.body).toBe([t("reporter-wipe-done"), t("reporter-wipe-older"), t("reporter-wipe-how")].join("\n\n"));
  });
});
