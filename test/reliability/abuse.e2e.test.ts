import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import { defaultAbuseLimits } from "../../src/bot/middleware/rate-limit.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { testDatabaseKind } from "../helpers/test-database.js";

const i18n = createI18n("uk");

describe(`abuse limits on ${testDatabaseKind}`, { timeout: 60_000 }, () => {
  let svidok: RunningSvidok;
  beforeAll(async () => {
    svidok = await startSvidok();
  });
  afterAll(async () => {
    await svidok?.stop();
  });

  it("stops reading a person who floods, tells them once, and keeps serving everyone else", async () => {
    const flooder = svidok.user({ languageCode: "en" });
    const limit = defaultAbuseLimits.updatesPerWindow;
    for (let i = 0; i < limit + 10; i++) await flooder.says("/help");
    const other = svidok.user({ languageCode: "uk" });
    await other.says("/help");
    await other.nextReply({ timeoutMs: 10_000 });
    await svidok.api.allSettled(30_000);
    const replies = flooder.drainReplies().map((r) => r.body);
    const notice = i18n.t("en", "reliability-rate-limited", { seconds: defaultAbuseLimits.windowMs / 1000 });
    expect(replies.filter((body) => body === notice)).toHaveLength(1);
    expect(replies).toHaveLength(limit + 1);
  });

  it("refuses an update longer than Telegram allows before any database work, in the person's language", async () => {
    const person = svidok.user({ languageCode: "uk" });
    const before = await svidok.db.selectFrom("bot_storage").select("key").execute();
    svidok.api.enqueue({
      message: { message_id: 1, date: svidok.api.now(), chat: person.chat, from: person.user, text: "а".repeat(5_000) },
    } as unknown as Omit<Update, "update_id">);
    const reply = await person.nextReply({ timeoutMs: 10_000 });
    expect(reply.body).toBe(i18n.t("uk", "reliability-too-long", { max: 4096 }));
    await svidok.api.allSettled(10_000);
    expect(await svidok.db.selectFrom("bot_storage").select("key").execute()).toEqual(before);
  });
});
