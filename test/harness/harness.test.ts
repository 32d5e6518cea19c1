import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile, Keyboard, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi, TEST_BOT_TOKEN } from "./fake-bot-api.js";
import { TelegramUser } from "./telegram-user.js";
import { startWebhookSplitter } from "./webhook-splitter.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function jpeg(width: number, height: number, red = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: red, g: 80, b: 40 } } }).jpeg().toBuffer();
}

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } }).png().toBuffer();
}

/** Raw Bot API call, for checking the server's own behaviour without a client in between. */
async function callApi(api: FakeBotApi, method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(`${api.apiRoot}/bot${TEST_BOT_TOKEN}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } } };
}

let api: FakeBotApi;
let bot: Bot | undefined;

beforeEach(async () => {
  api = await FakeBotApi.start();
});

afterEach(async () => {
  if (bot?.isRunning()) await bot.stop();
  bot = undefined;
  await api.stop();
});

function plainBot(): Bot {
  bot = new Bot(TEST_BOT_TOKEN, { client: { apiRoot: api.apiRoot } });
  return bot;
}

async function startPolling(b: Bot): Promise<void> {
  void b.start();
  await api.waitFor(() => api.callsTo("getUpdates").length > 0);
}

describe("long polling with a plain grammY bot", () => {
  it("echoes, shows an inline keyboard, and a press by label edits the message", async () => {
    const b = plainBot();
    b.command("start", (ctx) =>
      ctx.reply("Welcome! Continue?", { reply_markup: new InlineKeyboard().text("Yes", "answer:yes").text("No", "answer:no") }),
    );
    b.callbackQuery(/^answer:(yes|no)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `noted ${ctx.match[1]}` });
      await ctx.editMessageText(`You said ${ctx.match[1]}`);
    });
    b.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    await startPolling(b);

    const person = new TelegramUser(api, { firstName: "Olena", languageCode: "uk" });
    const start = await person.says("/start");
    expect(start.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    const welcome = await person.expectReply(/Welcome/);
    expect(welcome.buttons).toEqual(["Yes", "No"]);
    expect(welcome.method).toBe("sendMessage");

    const tap = await person.taps("Yes");
    const edit = await person.nextReply();
    expect(edit).toMatchObject({ method: "editMessageText", edited: true, text: "You said yes", messageId: welcome.messageId });
    expect(edit.buttons).toEqual([]);
    expect(await person.callbackAnswer(tap)).toMatchObject({ text: "noted yes" });

    await person.says("hello there");
    expect((await person.nextReply()).text).toBe("echo: hello there");

    // One counter per chat, shared by both sides, as in Telegram.
    expect(api.messagesIn(person.id).map((m) => [m.message.message_id, m.fromBot])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(api.sentTo(person.id).map((m) => m.text)).toEqual(["You said yes", "echo: hello there"]);
    expect(api.unansweredCallbackQueries).toEqual([]);
    expect(api.unknownCalls).toEqual([]);
  });

  it("presses a reply-keyboard button by sending its text, and explains a missing button", async () => {
    const b = plainBot();
    b.command("pick", (ctx) => ctx.reply("Pick a colour", { reply_markup: new Keyboard().text("Red").text("Blue").oneTime() }));
    b.hears(/^(Red|Blue)$/, (ctx) => ctx.reply(`picked ${ctx.match[1]}`, { reply_markup: { remove_keyboard: true } }));
    await startPolling(b);

    const person = new TelegramUser(api);
    await person.says("/pick");
    expect((await person.nextReply()).buttons).toEqual(["Red", "Blue"]);
    await person.taps(/blu/i);
    expect((await person.nextReply()).text).toBe("picked Blue");
    expect(api.replyKeyboard(person.id)).toBeUndefined();
    await expect(person.taps("Green")).rejects.toThrow(/No button Green.*\n?.*The bot shows no buttons|No button Green/);
  });

  it("waits for the bot to ask for updates again before settled() resolves", async () => {
    const b = plainBot();
    let saved = false;
    b.on("message", async (ctx) => {
      await ctx.reply("got it");
      await new Promise((resolve) => setTimeout(resolve, 300));
      saved = true;
    });
    await startPolling(b);
    const person = new TelegramUser(api);
    await person.says("one");
    await person.expectReply("got it");
    expect(saved).toBe(false);
    await person.settled();
    expect(saved).toBe(true);
  });

  it("downloads a photo through getFile and the file path", async () => {
    const b = plainBot();
    b.on("message:photo", async (ctx) => {
      const largest = ctx.message.photo.at(-1)!;
      const file = await ctx.api.getFile(largest.file_id);
      const response = await fetch(`${api.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.file_path}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      await ctx.reply(`${bytes.length} ${sha256(bytes)} ${largest.width}x${largest.height}`);
    });
    await startPolling(b);

    const original = await jpeg(1600, 1200);
    const person = new TelegramUser(api);
    const sent = await person.sendsPhoto(original, { caption: "my street" });
    const sizes = sent.message!.photo!;
    expect(sizes.map((s) => Math.max(s.width, s.height))).toEqual([90, 320, 800, 1600]);
    expect(sizes[0]!.file_size).toBeLessThan(original.length);
    expect(sent.message!.caption).toBe("my street");

    const reply = await person.nextReply();
    expect(reply.text).toBe(`${original.length} ${sha256(original)} 1600x1200`);
    expect(api.downloadCount(sizes.at(-1)!.file_id)).toBe(1);
    expect(api.downloadCount()).toBe(1);
  });

  it("sends every kind of message a reporter may send, with files the bot can download", async () => {
    const b = plainBot();
    const seen: string[] = [];
    b.on(["message", "edited_message"], async (ctx) => {
      const message = ctx.msg!;
      const kind = ["text", "venue", "location", "document", "video", "voice", "sticker", "photo"].find((k) => k in message)!;
      seen.push(`${ctx.editedMessage ? "edited " : ""}${kind}`);
      const file = message.document ?? message.video ?? message.voice ?? message.sticker;
      if (file) {
        const info = await ctx.api.getFile(file.file_id);
        const bytes = Buffer.from(await (await fetch(`${api.apiRoot}/file/bot${TEST_BOT_TOKEN}/${info.file_path}`)).arrayBuffer());
        seen.push(`${bytes.length === file.file_size}`);
      }
    });
    await startPolling(b);
    const person = new TelegramUser(api);
    const text = await person.says("street");
    await person.edits(text.message!.message_id, "street 5");
    const venue = await person.sendsVenue(50.45, 30.52, "Post office 12", "Khreshchatyk 22");
    expect(venue.message!.venue).toEqual({ location: { latitude: 50.45, longitude: 30.52 }, title: "Post office 12", address: "Khreshchatyk 22" });
    await person.sendsLocation(48.5, 35.1);
    const pdf = await person.sendsDocument(Buffer.from("%PDF-1.4 test"), { fileName: "statement.pdf", mimeType: "application/pdf" });
    expect(pdf.message!.document).toMatchObject({ file_name: "statement.pdf", mime_type: "application/pdf", file_size: 13 });
    await person.sendsVideo();
    await person.sendsVoice();
    await person.sendsSticker();
    await person.settled();
    expect(seen).toEqual(["text", "edited text", "venue", "location", "document", "true", "video", "true", "voice", "true", "sticker", "true"]);
    expect(api.messagesIn(person.id).find((m) => m.message.message_id === text.message!.message_id)?.message.text).toBe("street 5");
  });

  it("reports a file larger than it is and refuses getFile over the download limit", async () => {
    const small = await FakeBotApi.start({ maxDownloadBytes: 1_000 });
    try {
      const file = small.addFile(Buffer.alloc(100, 1), { reportedSize: 5_000 });
      const refused = await callApi(small, "getFile", { file_id: file.file_id });
      expect(refused.body).toEqual({ ok: false, error_code: 400, description: "Bad Request: file is too big" });
      const fine = small.addFile(Buffer.alloc(100, 2), { reportedSize: 900 });
      expect((await callApi(small, "getFile", { file_id: fine.file_id })).body.result).toMatchObject({ file_size: 900, file_path: fine.file_path });
      const missing = await fetch(`${small.apiRoot}/file/bot${TEST_BOT_TOKEN}/documents/nothing.bin`);
      expect(missing.status).toBe(404);
      expect(small.downloads).toEqual([expect.objectContaining({ status: 404 })]);
    } finally {
      await small.stop();
    }
  });

  it("receives documents, photos and albums uploaded as multipart/form-data", async () => {
    const csv = Buffer.from("ref,region\nSV-7K3F-9QXM,Київська\n", "utf8");
    const picture = await png(64, 48);
    const album = [await jpeg(300, 200, 10), await jpeg(200, 300, 250)];
    const b = plainBot();
    b.command("files", async (ctx) => {
      await ctx.replyWithDocument(new InputFile(csv, "cases.csv"), { caption: "Export: <b>1</b> case", parse_mode: "HTML" });
      await ctx.replyWithPhoto(new InputFile(picture), { reply_markup: new InlineKeyboard().text("Verify", "case:1:verify") });
      await ctx.replyWithMediaGroup(album.map((bytes) => ({ type: "photo" as const, media: new InputFile(bytes) })));
    });
    await startPolling(b);

    const person = new TelegramUser(api);
    await person.says("/files");
    const document = await person.nextReply();
    expect(document).toMatchObject({ method: "sendDocument", caption: "Export: 1 case" });
    expect(document.attachments[0]!.fileName).toBe("cases.csv");
    expect(document.attachments[0]!.bytes.equals(csv)).toBe(true);
    expect(document.messages[0]!.document).toMatchObject({ file_name: "cases.csv", mime_type: "text/csv", file_size: csv.length });
    expect(document.messages[0]!.caption_entities).toEqual([{ type: "bold", offset: 8, length: 1 }]);

    const photo = await person.nextReply();
    expect(photo.method).toBe("sendPhoto");
    expect(photo.buttons).toEqual(["Verify"]);
    expect(photo.attachments[0]!.bytes.equals(picture)).toBe(true);
    expect(photo.messages[0]!.photo!.at(-1)).toMatchObject({ width: 64, height: 48 });

    const group = await person.nextReply();
    expect(group.method).toBe("sendMediaGroup");
    expect(group.messageIds).toHaveLength(2);
    expect(group.attachments.map((a) => sha256(a.bytes))).toEqual(album.map(sha256));
    const groupIds = new Set(group.messages.map((m) => m.media_group_id));
    expect(groupIds.size).toBe(1);

    // What the bot uploaded can be sent again by file_id, as with Telegram.
    const resent = await callApi(api, "sendDocument", { chat_id: person.id, document: document.attachments[0]!.fileId });
    expect(resent.body.ok).toBe(true);
    expect((await person.nextReply()).attachments[0]!.bytes.equals(csv)).toBe(true);
  });

  it("a 429 with retry_after is retried by auto-retry and the reply arrives once", async () => {
    const b = plainBot();
    b.api.config.use(autoRetry());
    b.on("message:text", (ctx) => ctx.reply("answer"));
    await startPolling(b);
    api.failNext("sendMessage", { status: 429, retryAfter: 1 });

    const person = new TelegramUser(api);
    await person.says("hi");
    const started = Date.now();
    await person.expectReply("answer");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const calls = api.callsTo("sendMessage");
    expect(calls.map((c) => [c.ok, c.injected, c.errorCode])).toEqual([
      [false, true, 429],
      [true, false, undefined],
    ]);
    expect(api.injectedFailureCount("sendMessage")).toBe(1);
    expect(api.sentTo(person.id)).toHaveLength(1);
    await person.expectNoReply(100);
  });
});

describe("errors in Telegram's shape", () => {
  it("answers injected failures with Telegram's error bodies and network failures with a dropped connection", async () => {
    const b = plainBot();
    const person = new TelegramUser(api);
    await person.says("/start");
    api.failNext("sendMessage", { status: 429, retryAfter: 7 });
    api.failNext("sendMessage", { status: 500 });
    api.failNext("sendMessage", { network: true });

    const first = await b.api.sendMessage(person.id, "x").catch((e: unknown) => e);
    expect(first).toBeInstanceOf(GrammyError);
    expect(first).toMatchObject({ error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    await expect(b.api.sendMessage(person.id, "x")).rejects.toMatchObject({ error_code: 500, description: "Internal Server Error" });
    await expect(b.api.sendMessage(person.id, "x")).rejects.toBeInstanceOf(HttpError);
    await expect(b.api.sendMessage(person.id, "x")).resolves.toMatchObject({ text: "x" });
    expect(api.injectedFailureCount()).toBe(3);
  });

  it("refuses what Telegram refuses", async () => {
    const b = plainBot();
    const person = new TelegramUser(api);
    const stranger = new TelegramUser(api);
    await person.says("/start");

    const sent = await b.api.sendMessage(person.id, "Question?", {
      reply_markup: new InlineKeyboard().text("A", "a"),
    });
    await expect(b.api.editMessageText(person.id, sent.message_id, "Question?", { reply_markup: new InlineKeyboard().text("A", "a") }))
      .rejects.toMatchObject({ error_code: 400, description: expect.stringMatching(/^Bad Request: message is not modified/) });
    const edited = await b.api.editMessageText(person.id, sent.message_id, "Question?");
    expect(edited).not.toHaveProperty("reply_markup");

    await expect(b.api.deleteMessage(person.id, 999)).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: message to delete not found",
    });
    await expect(b.api.deleteMessages(person.id, [1, 999])).resolves.toBe(true);
    expect(api.messagesIn(person.id).find((m) => m.message.message_id === 1)?.deleted).toBe(true);

    await expect(b.api.sendMessage(person.id, "x", { reply_markup: new InlineKeyboard().text("Long", "x".repeat(65)) }))
      .rejects.toMatchObject({ description: "Bad Request: BUTTON_DATA_INVALID" });
    await expect(b.api.sendMessage(person.id, "a < b", { parse_mode: "HTML" })).rejects.toMatchObject({
      description: expect.stringMatching(/^Bad Request: can't parse entities: Unsupported start tag/),
    });
    await expect(b.api.sendMessage(person.id, "Done.", { parse_mode: "MarkdownV2" })).rejects.toMatchObject({
      description: expect.stringContaining("Character '.' is reserved"),
    });
    await expect(b.api.sendMessage(person.id, "x".repeat(4097))).rejects.toMatchObject({ description: "Bad Request: message is too long" });
    await expect(b.api.sendMessage(stranger.id, "hello")).rejects.toMatchObject({
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    await expect(b.api.sendMessage(-100123, "hello")).rejects.toMatchObject({ description: "Bad Request: chat not found" });
    api.blockBot(person.id);
    await expect(b.api.sendMessage(person.id, "hello")).rejects.toMatchObject({ description: "Forbidden: bot was blocked by the user" });
    await expect(b.api.answerCallbackQuery("123")).rejects.toMatchObject({
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
    expect(api.unknownCalls).toEqual([]);
  });

  it("lets the bot delete messages only within 48 hours", async () => {
    const b = plainBot();
    const person = new TelegramUser(api);
    await person.says("old");
    api.advanceTime(49 * 3600);
    await person.says("new");
    await expect(b.api.deleteMessage(person.id, 1)).rejects.toMatchObject({ description: "Bad Request: message can't be deleted" });
    await b.api.deleteMessages(person.id, [1, 2]);
    expect(api.messagesIn(person.id).map((m) => m.deleted)).toEqual([false, true]);
  });

  it("records unknown methods and keeps commands per scope and language", async () => {
    const b = plainBot();
    await b.api.setMyCommands([{ command: "start", description: "Start" }]);
    await b.api.setMyCommands([{ command: "start", description: "Почати" }], { language_code: "uk", scope: { type: "all_private_chats" } });
    expect(api.commandsFor()).toEqual([{ command: "start", description: "Start" }]);
    expect(api.commandsFor({ type: "all_private_chats" }, "uk")).toEqual([{ command: "start", description: "Почати" }]);
    await expect(b.api.setMyCommands([{ command: "Bad-Command", description: "x" }])).rejects.toMatchObject({ error_code: 400 });
    await b.api.raw.getMyStarBalance();
    expect(api.unknownCalls.map((c) => c.method)).toEqual(["getMyStarBalance"]);
  });
});

describe("getUpdates", () => {
  it("holds a long poll until an update is queued, confirms by offset, never repeats a confirmed update", async () => {
    const person = new TelegramUser(api);
    const started = Date.now();
    const poll = callApi(api, "getUpdates", { timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const update = await person.says("first");
    const first = await poll;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(first.body.result.map((u: Update) => u.update_id)).toEqual([update.update_id]);

    // Not confirmed yet: asking again without a higher offset gets it again (a bot that crashed).
    expect((await callApi(api, "getUpdates", { offset: 0 })).body.result).toHaveLength(1);
    const second = await person.says("second");
    const next = await callApi(api, "getUpdates", { offset: update.update_id + 1 });
    expect(next.body.result.map((u: Update) => u.update_id)).toEqual([second.update_id]);
    expect((await callApi(api, "getUpdates", { offset: 0 })).body.result.map((u: Update) => u.update_id)).toEqual([
      second.update_id,
    ]);
    expect((await callApi(api, "getUpdates", { offset: second.update_id + 1, timeout: 0 })).body.result).toEqual([]);
  });

  it("honours limit and timeout, redelivers on request, and answers pending polls on stop", async () => {
    const person = new TelegramUser(api);
    const updates = await person.sendsAlbum([await jpeg(40, 30), await jpeg(30, 40), await jpeg(50, 50)]);
    expect(new Set(updates.map((u) => u.message!.media_group_id)).size).toBe(1);
    const limited = await callApi(api, "getUpdates", { limit: 2 });
    expect(limited.body.result).toHaveLength(2);
    const last = updates.at(-1)!.update_id;
    await callApi(api, "getUpdates", { offset: last + 1 });
    expect(api.pendingUpdateCount).toBe(0);

    person.redeliverLast();
    const again = await callApi(api, "getUpdates", { offset: last + 1 });
    expect(again.body.result.map((u: Update) => u.update_id)).toEqual([last]);
    expect((await callApi(api, "getUpdates", { offset: last + 1 })).body.result).toEqual([]);

    const started = Date.now();
    expect((await callApi(api, "getUpdates", { offset: last + 1, timeout: 1 })).body.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const pending = callApi(api, "getUpdates", { offset: last + 1, timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = Date.now();
    await api.stop();
    expect((await pending).body.result).toEqual([]);
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });

  it("answers an older poll with 409 when another bot instance polls", async () => {
    const older = callApi(api, "getUpdates", { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const newer = callApi(api, "getUpdates", { timeout: 0 });
    expect((await older).body).toMatchObject({ ok: false, error_code: 409 });
    expect((await newer).body.ok).toBe(true);
  });

  it("fails a seeded, repeatable share of calls and never fails getUpdates twice in a row", async () => {
    const outcomes = async (seed: number) => {
      const fake = await FakeBotApi.start({ strictChats: false });
      try {
        fake.setRandomFailures({ rate: 0.3, seed, methods: ["sendMessage"] });
        const result: number[] = [];
        for (let i = 0; i < 30; i++) result.push((await callApi(fake, "sendMessage", { chat_id: 42, text: `m${i}` })).status);
        expect(fake.injectedFailureCount()).toBe(result.filter((s) => s !== 200).length);
        return result;
      } finally {
        await fake.stop();
      }
    };
    const first = await outcomes(7);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(first.every((s) => [200, 429, 500].includes(s))).toBe(true);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);

    api.setRandomFailures({ rate: 1, seed: 1, methods: ["getUpdates"] });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await callApi(api, "getUpdates")).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.some((s, i) => s !== 200 && statuses[i + 1] !== undefined && statuses[i + 1] !== 200)).toBe(false);
  });
});

describe("runner and webhook delivery", () => {
  it("with @grammyjs/runner, settled() waits for an instrumented bot to finish handling", async () => {
    const b = plainBot();
    const saved: string[] = [];
    b.use(sequentialize((ctx) => ctx.chat?.id.toString()));
    b.on("message:text", async (ctx) => {
      await ctx.reply(`ok ${ctx.message.text}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      saved.push(ctx.message.text);
    });
    api.instrument(b);
    const runner = run(b);
    try {
      const people = [new TelegramUser(api), new TelegramUser(api)];
      await Promise.all(people.map((p, i) => p.says(`from ${i}`)));
      await Promise.all(people.map((p, i) => p.expectReply(`ok from ${i}`)));
      await Promise.all(people.map((p) => p.settled()));
      expect(saved.sort()).toEqual(["from 0", "from 1"]);
    } finally {
      await runner.stop();
    }
  });

  it("pushes updates to a webhook with its secret, redelivers after a failure, and deliverViaWebhook reports the status", async () => {
    const b = plainBot();
    await b.init();
    let failuresLeft = 1;
    const handled: number[] = [];
    b.on("message:text", async (ctx) => {
      handled.push(ctx.update.update_id);
      if (failuresLeft-- > 0) throw new Error("database down");
      await ctx.reply(`webhook ${ctx.message.text}`);
    });
    const callback = webhookCallback(b, "http", { secretToken: "s3cret-token-0123456789" });
    const server = http.createServer((req, res) => {
      callback(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      await b.api.setWebhook(url, { secret_token: "s3cret-token-0123456789" });
      expect(await callApi(api, "getUpdates")).toMatchObject({ status: 409 });

      const person = new TelegramUser(api);
      const update = await person.says("ping");
      await person.expectReply("webhook ping");
      await person.settled();
      expect(handled).toEqual([update.update_id, update.update_id]);
      expect(api.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
      expect((await b.api.getWebhookInfo()).last_error_message).toMatch(/500/);

      const forged = { update_id: 1, message: { ...update.message!, text: "forged" } } as Update;
      expect(await api.deliverViaWebhook(url, forged, "wrong-secret")).toBe(401);
      expect(await api.deliverViaWebhook(url, forged)).toBe(401);
      expect(handled).toHaveLength(2);
    } finally {
      await b.api.deleteWebhook();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

async function webhookBot(name: string, secret: string) {
  const b = new Bot(TEST_BOT_TOKEN, { client: { apiRoot: api.apiRoot } });
  await b.init();
  b.on("message:text", (ctx) => ctx.reply(`${name}: ${ctx.message.text}`));
  const callback = webhookCallback(b, "http", { secretToken: secret });
  const server = http.createServer((req, res) => void callback(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    bot: b,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      return closed;
    },
  };
}

describe("several bot processes behind a webhook splitter", () => {
  it("alternates updates between the targets and sends an unreachable target's update again", async () => {
    const secret = "splitter-secret-0123456789";
    const a = await webhookBot("A", secret);
    const b = await webhookBot("B", secret);
    const splitter = await startWebhookSplitter([a.url, b.url]);
    try {
      await a.bot.api.setWebhook(splitter.url, { secret_token: secret });
      const person = new TelegramUser(api);
      for (const text of ["one", "two", "three", "four"]) {
        await person.says(text);
        await person.nextReply();
        await person.settled();
      }
      expect(person.messages().map((m) => m.text)).toEqual(["A: one", "B: two", "A: three", "B: four"]);
      expect(splitter.forwarded.map((f) => [f.target, f.status])).toEqual([[0, 200], [1, 200], [0, 200], [1, 200]]);

      await b.close();
      await person.says("five");
      expect((await person.nextReply()).text).toBe("A: five");
      await person.settled();
      expect(splitter.forwarded.slice(4).map((f) => [f.target, f.status])).toEqual([[0, 200]]);

      await person.says("six");
      expect((await person.nextReply()).text).toBe("A: six");
      await person.settled();
      expect(splitter.forwarded.slice(5).map((f) => [f.target, f.status])).toEqual([[1, 502], [0, 200]]);
      expect(api.webhookDeliveries.slice(-2).map((d) => d.status)).toEqual([502, 200]);
    } finally {
      await splitter.stop();
      await a.close();
      await b.close();
    }
  });
});

describe("people in groups", () => {
  it("sends from a group chat with a negative id and reads the group's replies", async () => {
    const b = plainBot();
    b.command("queue", (ctx) => ctx.reply(`queue for ${ctx.from?.first_name} in ${ctx.chat.type}`, {
      reply_markup: new InlineKeyboard().text("Take", "case:abc:take"),
    }));
    b.callbackQuery(/^case:(\w+):take$/, async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(`taken by ${ctx.from.first_name}`);
    });
    await startPolling(b);

    const group = api.createGroup("Moderators");
    expect(group.id).toBeLessThan(0);
    const moderator = new TelegramUser(api, { firstName: "Iryna" });
    const other = new TelegramUser(api, { firstName: "Taras" });
    const inGroup = moderator.inGroup(group);
    const otherInGroup = other.inGroup(group);
    const sent = await inGroup.says(`/queue@${api.botInfo.username}`);
    expect(sent.message!.chat.id).toBe(group.id);
    expect(sent.message!.entities![0]!.length).toBe(`/queue@${api.botInfo.username}`.length);
    expect((await inGroup.nextReply()).text).toBe("queue for Iryna in supergroup");
    await otherInGroup.taps("Take");
    expect((await otherInGroup.waitForReply(/taken/)).text).toBe("taken by Taras");
    await moderator.expectNoReply(50);
  });
});
