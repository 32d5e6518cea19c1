import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitDraft } from "../../src/cases/submit.js";
import { openEmbedded } from "../../src/db/connect.js";
import { createPseudonymizer } from "../../src/privacy/pseudonym.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { type SpawnedBot, spawnBot } from "../harness/spawn-bot.js";
import { startSvidok } from "../harness/start-svidok.js";
import { TelegramUser } from "../harness/telegram-user.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../helpers/test-database.js";
import { caseByRef, corpus, expectText, finishFromPhotos, reportUntilLocation, reportUntilPhotos, submit, translator } from "./flow.js";

describe(`a restart in the middle of a report (${testDatabaseKind})`, () => {
  let api: FakeBotApi;
  let dataDir: string;
  let database: TestDatabase | undefined;
  const pseudonymKey = randomBytes(32).toString("hex");
  const env: Record<string, string> = {};
  const bots: SpawnedBot[] = [];

  beforeAll(async () => {
    api = await FakeBotApi.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-restart-"));
    Object.assign(env, { BOT_TOKEN: TEST_BOT_TOKEN, BOT_API_ROOT: api.apiRoot, DATA_DIR: dataDir, LOG_LEVEL: "info" });
    if (testDatabaseKind === "postgres") {
      database = await createTestDatabase();
      Object.assign(env, { DATABASE_URL: database.connectionString!, PSEUDONYM_KEY: pseudonymKey, DATA_KEY: randomBytes(32).toString("hex") });
    }
  });

  afterAll(async () => {
    for (const bot of bots) {
      bot.kill("SIGKILL");
      await bot.waitForExit(10_000).catch(() => undefined);
    }
    await database?.close();
    await api?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<SpawnedBot> {
    const bot = spawnBot({ env });
    bots.push(bot);
    // A fresh embedded database and the TypeScript loader take a while on a busy machine.
    await bot.waitForOutput(/Svidok is running/, 90_000);
    return bot;
  }

  it("SIGKILL in the photos step: the reporter goes on where they were, earlier photos included, and submits", { timeout: 300_000 }, async () => {
    const t = translator("uk");
    const user = new TelegramUser(api, { languageCode: "uk" });
    const first = await start();
    await reportUntilPhotos(user, t);
    await user.sendsPhoto(await corpus("jpg_Canon_40D.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 1, max: 20 });
    await user.sendsPhoto(await corpus("jpg_Nikon_D70.jpg"));
    await expectText(user, t, "intake-photos-received", { total: 2, max: 20 });
    await user.settled({ timeoutMs: 20_000 });
    // A third photo is on its way when the process dies.
    await user.sendsPhoto(await corpus("jpg_Sony_HDR-HC3.jpg"));
    first.kill("SIGKILL");
    expect((await first.waitForExit(10_000)).signal).toBe("SIGKILL");
    user.drainReplies();

    await start();
    await user.sendsPhoto(await corpus("jpg_Ricoh_Caplio_RR330.jpg"));
    await user.waitForReply((r) => r.body.startsWith(t("intake-photos-received", { total: 4, max: 20 })), { timeoutMs: 30_000 });
    await user.settled({ timeoutMs: 20_000 });
    user.drainReplies();
    const review = await finishFromPhotos(user, t, "done");
    expect(review.map((r) => r.body).join("\n")).toContain(`${t("intake-summary-photos")}: 4`);
    const ref = await submit(user, t);
    await user.settled({ timeoutMs: 20_000 });
    const last = bots.at(-1)!;
    last.kill("SIGTERM");
    await last.waitForExit(10_000);

    const handle = database ?? (await openEmbedded(dataDir));
    try {
      const { case: c, photos, items, events } = await caseByRef(handle.db, ref);
      expect(c.address).toBe("Ірпінь, вул. Соборна 1");
      expect(items).toHaveLength(1);
      expect(photos).toHaveLength(4);
      expect(new Set(photos.map((p) => p.sha256)).size).toBe(4);
      expect(events).toHaveLength(1);
      expect(await handle.db.selectFrom("photos").select("id").where("case_id", "is", null).execute()).toEqual([]);
      expect(await handle.db.selectFrom("drafts").select("draft_key").execute()).toEqual([]);
    } finally {
      if (!database) await handle.close();
    }
  });
});

describe("a conversation whose state was lost (a deploy that changed the flow)", () => {
  let svidok: Awaited<ReturnType<typeof startSvidok>>;
  beforeAll(async () => {
    svidok = await startSvidok({ env: { LOG_LEVEL: "error" } });
  });
  afterAll(async () => {
    await svidok?.stop();
  });

  it("takes the next message as the answer to the question the draft is at", { timeout: 60_000 }, async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilLocation(user, t);
    await user.settled();
    // What a storage version bump does to every chat: the conversation state is gone, the draft is not.
    await sql`update bot_storage set value = value - 'conversations' where key like 'session:%'`.execute(svidok.db);
    await svidok.restart();
    await user.says("Mariupol, Myru 10");
    await expectText(user, t, "intake-notice-resumed");
    await expectText(user, t, "intake-region-question");
    await user.taps(t("intake-region-donetska"));
    await expectText(user, t, "intake-date-question");
    await user.settled();
    const pseudonym = createPseudonymizer(Buffer.from(svidok.config.pseudonymKey!, "hex"))(user.id);
    const draft = await svidok.db
      .selectFrom("drafts")
      .innerJoin("reporters", "reporters.id", "drafts.reporter_id")
      .select(["drafts.step", "drafts.answers"])
      .where("reporters.pseudonym", "=", pseudonym)
      .executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ step: "date", answers: { role: "witness", address: "Mariupol, Myru 10", region: "donetska" } });
  });

  it("takes an answer anew when the draft changed since this process last saw it (another process, a deploy)", { timeout: 60_000 }, async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilLocation(user, t);
    await user.says("Kherson, Ushakova 5");
    await expectText(user, t, "intake-region-question");
    await user.settled();
    // Another process handled an update of this chat meanwhile: the row is not what this process kept.
    const pseudonym = createPseudonymizer(Buffer.from(svidok.config.pseudonymKey!, "hex"))(user.id);
    const reporter = await svidok.db.selectFrom("reporters").select("id").where("pseudonym", "=", pseudonym).executeTakeFirstOrThrow();
    await sql`update drafts set answers = jsonb_set(answers, '{address}', '"Kherson, Ushakova 7"') where reporter_id = ${reporter.id}`.execute(
      svidok.db,
    );
    await user.taps(t("intake-region-khersonska"));
    await expectText(user, t, "intake-date-question");
    await user.settled();
    const draft = await svidok.db.selectFrom("drafts").select(["step", "answers"]).where("reporter_id", "=", reporter.id).executeTakeFirstOrThrow();
    expect(draft).toMatchObject({ step: "date", answers: { address: "Kherson, Ushakova 7", region: "khersonska" } });
  });

  it("a report saved by a process that died before telling the person: their next press brings its reference, once", { timeout: 60_000 }, async () => {
    const t = translator("en");
    const user = svidok.user({ languageCode: "en" });
    await reportUntilPhotos(user, t);
    await finishFromPhotos(user, t);
    await user.settled();
    // What a process killed between the submit's commit and its reply leaves behind: a case, a person told nothing,
    // and a session still waiting at the review.
    const pseudonym = createPseudonymizer(Buffer.from(svidok.config.pseudonymKey!, "hex"))(user.id);
    const reporter = await svidok.db.selectFrom("reporters").select("id").where("pseudonym", "=", pseudonym).executeTakeFirstOrThrow();
    const draft = await svidok.db.selectFrom("drafts").select("draft_key").where("reporter_id", "=", reporter.id).executeTakeFirstOrThrow();
    const saved = await submitDraft(svidok.db, { draftKey: draft.draft_key, locale: "en" });
    if (saved.kind !== "submitted") throw new Error(`the draft was not submitted: ${saved.kind}`);
    await svidok.restart();

    const press = await user.taps(t("intake-review-submit"));
    await user.expectReply(t("intake-submitted", { ref: saved.ref }));
    await user.settled();
    expect((await user.callbackAnswer(press)).text).toBeUndefined();
    const again = await user.taps(t("intake-review-submit"));
    await user.settled();
    expect((await user.callbackAnswer(again)).text).toBe(t("intake-already-submitted", { ref: saved.ref }));
    expect(user.drainReplies()).toEqual([]);
  });
});
