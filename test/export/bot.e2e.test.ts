import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { Composer } from "grammy";
import type { Chat } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { exportFeature } from "../../src/bot/features/export/index.js";
import { FakeBotApi, type Reply } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { testDatabaseKind } from "../helpers/test-database.js";
import { type Dataset, seedDataset } from "./dataset.js";
import { addStaff } from "./fixtures.js";
import { readZip } from "./read-zip.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let api: FakeBotApi;
let svidok: RunningSvidok;
let group: Chat.GroupChat | Chat.SupergroupChat;
let data: Dataset;
let admin: TelegramUser;
/** An admin served by an export feature that reads one case per page and shows every step of its progress. */
let watchful: TelegramUser;
/** A Ukrainian-speaking admin served by an export feature whose upload limit is one kilobyte. */
let limited: TelegramUser;
let moderator: TelegramUser;
let dir: string;

beforeAll(async () => {
  api = await FakeBotApi.start();
  group = api.createGroup("Svidok moderators");
  const [adminId, watchfulId, limitedId] = [api.allocateUserId(), api.allocateUserId(), api.allocateUserId()];
  const only = (id: number, feature: Composer<BotContext>) => {
    const composer = new Composer<BotContext>();
    composer.filter((ctx) => ctx.from?.id === id, feature);
    return composer;
  };
  svidok = await startSvidok({
    api,
    env: { ADMIN_IDS: `${adminId},${watchfulId},${limitedId}`, DEFAULT_LOCALE: "en", MODERATION_CHAT_ID: String(group.id) },
    extraMiddleware: [
      only(watchfulId, exportFeature({ pageSize: 1, progressIntervalMs: 0 })),
      only(limitedId, exportFeature({ maxUploadBytes: 1000 })),
    ],
  });
  data = await seedDataset(svidok.db);
  admin = svidok.user({ id: adminId, firstName: "Iryna", languageCode: "en" });
  watchful = svidok.user({ id: watchfulId, firstName: "Petro", languageCode: "en" });
  limited = svidok.user({ id: limitedId, firstName: "Oksana", languageCode: "uk" });
  moderator = svidok.user({ firstName: "Taras", languageCode: "en" });
  await addStaff(svidok.db, moderator.id, "moderator", "Taras");
  dir = await mkdtemp(path.join(os.tmpdir(), "svidok-export-bot-"));
});

afterAll(async () => {
  await svidok?.stop();
  await api?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function exportEvents() {
  return svidok.db
    .selectFrom("case_events")
    .select(["case_id", "actor_kind", "actor_id", "data"])
    .where("kind", "=", "exported")
    .orderBy("id")
    .execute();
}

const isDocument = (reply: Reply) => reply.method === "sendDocument";

async function unknownCommandReply(user: TelegramUser): Promise<string> {
  user.drainReplies();
  await user.says("/frobnicate");
  const reply = await user.nextReply();
  await user.settled();
  return reply.body;
}

describe(`/export in the bot on ${testDatabaseKind}`, () => {
  it("sends an admin the CSV files as documents, and logs who exported what with each file's hash", async () => {
    const before = (await exportEvents()).length;
    await admin.says("/export csv");
    expect((await admin.nextReply()).body).toBe("Preparing the csv export…");
    await admin.waitForReply("Export ready: 3 cases.");
    const documents = [await admin.waitForReply(isDocument), await admin.waitForReply(isDocument)];
    expect(documents.map((d) => d.attachments[0]!.fileName)).toEqual(["cases.csv", "items.csv"]);
    const [casesCsv, itemsCsv] = documents.map((d) => d.attachments[0]!.bytes) as [Buffer, Buffer];
    expect(documents[0]!.caption).toBe(`3 cases. SHA-256: ${sha256(casesCsv)}`);
    const cases = parse(casesCsv, { bom: true, columns: true }) as { reference: string }[];
    expect(cases.map((c) => c.reference)).toEqual([data.rich.ref, data.noPoint.ref, data.abroad.ref]);
    expect(parse(itemsCsv, { bom: true, columns: true })).toHaveLength(6);

    const events = await exportEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      case_id: null,
      actor_kind: "staff",
      actor_id: admin.id,
      data: {
        format: "csv",
        count: 3,
        delivery: "telegram",
        filters: { statuses: ["verified"], regions: [], roles: [] },
        exportedBy: { kind: "staff", id: admin.id, name: "Iryna" },
        files: [
          { name: "cases.csv", size: casesCsv.length, sha256: sha256(casesCsv) },
          { name: "items.csv", size: itemsCsv.length, sha256: sha256(itemsCsv) },
        ],
      },
    });
  });

  it("sends the evidence bundle with the filters typed, naming the admin in its manifest", async () => {
    await admin.says("/export zip status=verified,new from=2026-01-12");
    const document = await admin.waitForReply(isDocument, { timeoutMs: 15_000 });
    const file = path.join(dir, "bundle.zip");
    await writeFile(file, document.attachments[0]!.bytes);
    const entries = await readZip(file);
    const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8")) as Record<string, unknown>;
    expect(manifest.exportedBy).toEqual({ kind: "staff", id: admin.id, name: "Iryna" });
    expect(manifest.filters).toMatchObject({ statuses: ["verified", "new"], submittedFrom: "2026-01-12" });
    const cases = parse(entries.get("cases.csv")!, { bom: true, columns: true }) as { reference: string }[];
    expect(cases.map((c) => c.reference)).toEqual([data.abroad.ref, data.fresh.ref]);
    expect(document.attachments[0]!.fileName).toMatch(/^svidok-cases-\d{8}-\d{4}\.zip$/);
  });

  it("edits its progress message while a long export runs", async () => {
    await watchful.says("/export json status=all");
    await watchful.expectReply("Preparing the json export…");
    const steps = [await watchful.waitForReply(/^Exporting: 1 of 4 cases…$/), await watchful.waitForReply(/^Exporting: 2 of 4 cases…$/)];
    for (const step of steps) expect(step.edited).toBe(true);
    await watchful.waitForReply("Export ready: 4 cases.");
    const document = await watchful.waitForReply(isDocument);
    const json = JSON.parse(document.attachments[0]!.bytes.toString("utf8")) as { count: number; cases: { status: string }[] };
    expect(json.count).toBe(4);
    expect(json.cases.map((c) => c.status)).not.toContain("withdrawn");
  });

  it("over the upload limit sends nothing, says why in the admin's language and gives the command line", async () => {
    const before = (await exportEvents()).length;
    await limited.says("/export zip region=kyivska");
    await limited.expectReply("Готую експорт у форматі zip…");
    const reply = await limited.waitForReply(/Нічого не надіслано/);
    expect(reply.body).toContain("більше за 0.0 МБ");
    expect(reply.body).toContain("npm run export -- --format zip --status verified --region kyivska --out svidok-cases.zip");
    await limited.expectNoReply(200);
    expect(limited.messages().filter((m) => m.method === "sendDocument")).toEqual([]);
    const events = await exportEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ actor_id: limited.id, data: { format: "zip", count: 1, delivery: "not_sent_too_large" } });
  });

  it("explains a wrong format or filter instead of exporting", async () => {
    const before = (await exportEvents()).length;
    await admin.says("/export pdf");
    expect((await admin.nextReply()).body).toMatch(/^“pdf” is not an export format\.\n\n\/export FORMAT \[filters\]/);
    await admin.says("/export csv status=withdrawn");
    expect((await admin.nextReply()).body).toBe("Withdrawn cases are never exported: the reporter took them back.");
    await admin.says("/export csv from=yesterday");
    expect((await admin.nextReply()).body).toBe("from needs a date as YYYY-MM-DD, not “yesterday”.");
    await admin.settled();
    expect(await exportEvents()).toHaveLength(before);
  });

  it("refuses a moderator, a stranger and an admin in the group exactly as an unknown command", async () => {
    const before = (await exportEvents()).length;
    const stranger = svidok.user({ firstName: "Stranger", languageCode: "en" });
    for (const person of [moderator, stranger, admin.inGroup(group)]) {
      const baseline = await unknownCommandReply(person);
      expect(baseline).toMatch(/don't know this command/i);
      for (const command of ["/export csv", "/export zip status=all", "/export"]) {
        await person.says(command);
        const reply = await person.nextReply();
        await person.settled();
        expect({ command, reply: reply.body }).toEqual({ command, reply: baseline });
        await person.expectNoReply(100);
      }
    }
    expect(await exportEvents()).toHaveLength(before);
  });
});
