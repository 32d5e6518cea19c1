import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import type { Chat } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramLimits } from "../../src/bot/api-transformers.js";
import { createLogger } from "../../src/logger.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import type { TestDatabase } from "../helpers/test-database.js";
import { corpus, reportUntilPerpetrators, translator } from "../intake/flow.js";
import { dumpDatabase, fileReport, found, inspectableDatabase } from "./flows.js";

/**
 * Several people report through the real bot while it logs at debug level; a moderator takes, questions,
 * verifies and rejects. Then the database, as a dump, and every log line are searched for what would name a
 * reporter: Telegram ids (in a private chat the chat id is the user id), first names, usernames, what they typed,
 * and the bot's secrets.
 */
describe("a leaked database or log names no reporter", { timeout: 400_000 }, () => {
  const logLines: string[] = [];
  const pseudonymKey = randomBytes(32).toString("hex");
  const dataKey = randomBytes(32).toString("hex");
  let svidok: RunningSvidok;
  let database: TestDatabase;
  let pglite: PGlite | undefined;
  const reporters: TelegramUser[] = [];
  /** What reporters typed, beyond what the report helpers type. */
  const typed = [
    "Прийшли вночі, Мирослава Гнатюк бачила номер машини",
    "Neighbours saw them load the washing machine into a truck marked Z",
    "Третій поверх, двері вибиті ломом",
  ];

  let api: FakeBotApi;
  let group: Chat.GroupChat | Chat.SupergroupChat;
  let adminId: number;

  beforeAll(async () => {
    ({ database, pglite } = await inspectableDatabase());
    api = await FakeBotApi.start();
    group = api.createGroup("Moderators");
    adminId = api.allocateUserId();
    svidok = await startSvidok({
      api,
      database,
      logger: createLogger("debug", { write: (line: string) => void logLines.push(line) }),
      // Cards, albums and their edits would otherwise wait for Telegram's 20-a-minute group limit.
      apiLimits: { ...telegramLimits, group: { maxConcurrent: 1 } },
      env: {
        LOG_LEVEL: "debug",
        DEFAULT_LOCALE: "en",
        ADMIN_IDS: String(adminId),
        MODERATION_CHAT_ID: String(group.id),
        PSEUDONYM_KEY: pseudonymKey,
        DATA_KEY: dataKey,
      },
    });
  });
  afterAll(async () => {
    await svidok?.stop();
    await database?.close();
    await api?.stop();
  });

  it("after reports with and without contact, moderation, a question answered, the reporter's commands, an export and an erasure", async () => {
    const admin = svidok.user({ id: adminId, firstName: "Iryna", username: "iryna_moderator", languageCode: "en" });

    const uk = translator("uk");
    const en = translator("en");
    const zorianka = svidok.user({ firstName: "Zorianka", lastName: "Kvitkovska", username: "zorianka_kv_1987", languageCode: "uk" });
    const bohdan = svidok.user({ firstName: "Bohdanko", username: "bohdanko_witness", languageCode: "en" });
    const myroslav = svidok.user({ firstName: "Myroslavchyk", username: "myroslav_draft", languageCode: "uk" });
    const ostap = svidok.user({ firstName: "Ostapchuk", username: "ostap_erases", languageCode: "en" });
    reporters.push(zorianka, bohdan, myroslav, ostap);

    for (const user of reporters) {
      await user.says("/start");
      await user.nextReply();
    }
    const refZorianka = await fileReport(zorianka, uk, { contact: true, photo: await corpus("jpg_gps_DSCN0010.jpg"), narrative: typed[0] });
    const refBohdan = await fileReport(bohdan, en, { contact: false, narrative: typed[1] });
    const refOstap = await fileReport(ostap, en, { contact: true, photo: await corpus("jpg_Canon_40D.jpg") });
    // One report left half-way: its draft and its conversation's state are in the database now.
    await reportUntilPerpetrators(myroslav, uk);
    await myroslav.says("Шеврони з літерою V на рукаві");
    await myroslav.settled();

    await admin.says(`/take ${refZorianka}`);
    await admin.waitForReply(`${refZorianka} is yours now`);
    await admin.says(`/needinfo ${refZorianka} Which floor was it?`);
    await admin.waitForReply(`Question sent to the reporter of ${refZorianka}`);
    await zorianka.waitForReply(/Which floor was it\?/);
    await zorianka.says(typed[2]!);
    await zorianka.waitForReply(new RegExp(refZorianka));
    await zorianka.settled();
    await admin.says(`/verify ${refZorianka}`);
    await admin.waitForReply(`${refZorianka} verified.`);
    await zorianka.waitForReply(new RegExp(`${refZorianka}`));
    await admin.says(`/take ${refBohdan}`);
    await admin.waitForReply(`${refBohdan} is yours now`);
    await admin.says(`/reject ${refBohdan} Could not be confirmed`);
    await admin.waitForReply(`${refBohdan} rejected.`);

    // The reporter's own commands, and an export of what was verified.
    await bohdan.says("/mycases");
    await bohdan.waitForReply(refBohdan);
    await bohdan.says(`/status ${refBohdan}`);
    await bohdan.waitForReply(new RegExp(`Report ${refBohdan}`));
    await bohdan.says(`/withdraw ${refBohdan}`);
    await bohdan.waitForReply(en("reporter-withdraw-confirm", { ref: refBohdan }));
    await bohdan.taps(en("reporter-withdraw-yes"));
    await bohdan.waitForReply(en("reporter-withdraw-done", { ref: refBohdan }));
    await bohdan.says("/wipe");
    await bohdan.waitForReply(en("reporter-wipe-done"));
    await admin.says("/export json status=verified");
    await admin.waitForReply((reply) => reply.method === "sendDocument");

    await ostap.says("/deletemydata");
    await ostap.waitForReply(/This erases everything/);
    await ostap.taps(en("erasure-yes"));
    await ostap.waitForReply(en("erasure-done-intro"));
    await ostap.settled();
    await admin.settled();
    await svidok.app.bot.moderation.idle();
    // The cards went to the group, and with them the reporters' words: the group is staff's, not the database.
    expect(api.sentTo(group.id).some((m) => m.text?.includes(refZorianka))).toBe(true);
    const statuses = await svidok.db.selectFrom("cases").select(["ref", "status", "reporter_id"]).orderBy("submitted_at").execute();
    expect(statuses.map((c) => [c.ref, c.status, c.reporter_id === null])).toEqual([
      [refZorianka, "verified", false],
      [refBohdan, "withdrawn", false],
      [refOstap, "withdrawn", true],
    ]);

    const identities = reporters.flatMap((u) => [
      String(u.id),
      String(u.chat.id),
      u.user.first_name,
      ...(u.user.last_name ? [u.user.last_name] : []),
      u.user.username!,
    ]);
    expect(new Set(reporters.map((u) => u.chat.id))).toEqual(new Set(reporters.map((u) => u.id)));

    const dump = await dumpDatabase(database, pglite);
    // The dump is real: it holds the reports themselves, and staff, who are accountable, by id.
    expect(dump.text).toContain(refZorianka);
    expect(dump.text).toContain(typed[0]);
    expect(dump.text).toContain(String(admin.id));
    expect(found(dump.text, identities), `${dump.kind} names a reporter`).toEqual([]);
    if (dump.raw) {
      expect(dump.raw.includes(refZorianka)).toBe(true);
      expect(found(dump.raw, identities), "PGlite's raw files name a reporter").toEqual([]);
    }

    const logs = logLines.join("\n");
    expect(logLines.some((line) => (JSON.parse(line) as { level: number }).level === 20), "debug lines were written").toBe(true);
    expect(logs).toContain(refZorianka);
    const secrets = [
      TEST_BOT_TOKEN,
      TEST_BOT_TOKEN.split(":")[1]!,
      pseudonymKey,
      dataKey,
      Buffer.from(pseudonymKey, "hex").toString("base64"),
      Buffer.from(dataKey, "hex").toString("base64"),
    ];
    const words = [...typed, "Ірпінь, вул. Соборна 1", "Bosch washing machine", "Шеврони з літерою V", "Which floor was it", "Could not be confirmed"];
    expect(found(logs, identities), "logs name a reporter").toEqual([]);
    expect(found(logs, words), "logs hold what people typed").toEqual([]);
    expect(found(logs, secrets), "logs hold a secret").toEqual([]);
  });
});
