import { randomBytes } from "node:crypto";
import type { Chat, InlineKeyboardButton, KeyboardButton, Message, PhotoSize, Update, User } from "grammy/types";
import sharp from "sharp";
import type { BotMessage, FakeBotApi, Reply } from "./fake-bot-api.js";

export interface UserProfile {
  id?: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** The Telegram app's language; `null` leaves language_code out. Default "en". */
  languageCode?: string | null;
}

export interface SendsPhotoOptions {
  caption?: string;
  mediaGroupId?: string;
  /** file_size reported for the largest size (in the update and by getFile) instead of the real length. */
  reportedSize?: number;
}

export interface SendsDocumentOptions {
  fileName: string;
  mimeType: string;
  caption?: string;
  mediaGroupId?: string;
  reportedSize?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export type ReplyPattern = RegExp | string | ((reply: Reply) => boolean);

const DEFAULT_TIMEOUT_MS = 5_000;
/** Above this many pixels the smaller PhotoSize entries reuse the original bytes instead of a costly resize. */
const RESIZE_PIXEL_LIMIT = 40_000_000;

/**
 * A person using Telegram: what they do becomes updates queued into the fake Bot API, what the bot does
 * in their chat comes back as replies, read in order. `inGroup` gives the same person acting in a group.
 */
export class TelegramUser {
  readonly user: User;
  readonly chat: Chat;
  /** Replies are read from the chat's beginning, so a view made late still sees what was posted before. */
  private cursor = 0;
  private lastUpdate: Update | undefined;
  private readonly updateIds: number[] = [];

  constructor(
    readonly api: FakeBotApi,
    profile: UserProfile = {},
    chat?: Chat.GroupChat | Chat.SupergroupChat,
  ) {
    const id = profile.id ?? api.allocateUserId();
    const languageCode = profile.languageCode === undefined ? "en" : profile.languageCode;
    this.user = {
      id,
      is_bot: false,
      first_name: profile.firstName ?? `Tester${id % 100_000}`,
      ...(profile.lastName ? { last_name: profile.lastName } : {}),
      username: profile.username ?? `tester_${id}`,
      ...(languageCode !== null ? { language_code: languageCode } : {}),
    };
    api.registerUser(this.user);
    this.chat = chat ?? {
      id,
      type: "private",
      first_name: this.user.first_name,
      ...(this.user.last_name ? { last_name: this.user.last_name } : {}),
      ...(this.user.username ? { username: this.user.username } : {}),
    };
    api.registerChat(this.chat);
  }

  get id(): number {
    return this.user.id;
  }

  /** The same person writing in a group (the group's id is negative); replies are read from the group. */
  inGroup(group: Chat.GroupChat | Chat.SupergroupChat): TelegramUser {
    return new TelegramUser(
      this.api,
      {
        id: this.user.id,
        firstName: this.user.first_name,
        ...(this.user.last_name ? { lastName: this.user.last_name } : {}),
        ...(this.user.username ? { username: this.user.username } : {}),
        languageCode: this.user.language_code ?? null,
      },
      group,
    );
  }

  // ------------------------------------------------------------ acting

  /** Sends a text; a leading /command (or /command@botname) carries a bot_command entity, as in Telegram. */
  async says(text: string, options: { replyTo?: number } = {}): Promise<Update> {
    const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,})?/.exec(text);
    return this.sendMessage({
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
      ...(options.replyTo !== undefined ? { reply_to_message: this.messageById(options.replyTo) } : {}),
    });
  }

  /** Shares a location (the attachment menu lets anyone drop a pin anywhere). */
  async sendsLocation(latitude: number, longitude: number): Promise<Update> {
    return this.sendMessage({ location: { latitude, longitude } });
  }

  async sendsVenue(latitude: number, longitude: number, title: string, address: string): Promise<Update> {
    const location = { latitude, longitude };
    return this.sendMessage({ location, venue: { location, title, address } });
  }

  /**
   * Sends a compressed photo: several PhotoSize entries, the largest served with exactly these bytes, the
   * smaller ones resized from them (or the same bytes when they do not decode).
   */
  async sendsPhoto(bytes: Buffer, options: SendsPhotoOptions = {}): Promise<Update> {
    return this.sendMessage(await this.photoMessage(bytes, options));
  }

  /** Sends several photos as one album: messages sharing a media_group_id, queued at once. */
  async sendsAlbum(photos: Buffer[], options: { caption?: string } = {}): Promise<Update[]> {
    const mediaGroupId = String(13_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));
    const contents = [];
    for (const [index, bytes] of photos.entries()) {
      contents.push(
        await this.photoMessage(bytes, {
          mediaGroupId,
          ...(index === 0 && options.caption !== undefined ? { caption: options.caption } : {}),
        }),
      );
    }
    const updates = this.api.enqueueMany(contents.map((content) => ({ message: this.messageFields(content) })));
    for (const update of updates) this.remember(update);
    return updates;
  }

  /** Sends a file ("send as file" keeps the phone's metadata; the name and mime type are the sender's claims). */
  async sendsDocument(bytes: Buffer, options: SendsDocumentOptions): Promise<Update> {
    const extension = /\.([A-Za-z0-9]+)$/.exec(options.fileName)?.[1]?.toLowerCase();
    const file = this.api.addFile(bytes, {
      kind: "documents",
      ...(extension ? { extension } : {}),
      ...(options.reportedSize !== undefined ? { reportedSize: options.reportedSize } : {}),
    });
    return this.sendMessage({
      document: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: options.fileName,
        mime_type: options.mimeType,
        file_size: file.file_size,
      },
      ...(options.caption !== undefined ? { caption: options.caption } : {}),
      ...(options.mediaGroupId !== undefined ? { media_group_id: options.mediaGroupId } : {}),
    });
  }

  async sendsVideo(options: { bytes?: Buffer; duration?: number } = {}): Promise<Update> {
    const bytes = options.bytes ?? Buffer.concat([Buffer.from("000000186674797069736f6d", "hex"), randomBytes(4096)]);
    const file = this.api.addFile(bytes, { kind: "videos", extension: "mp4" });
    return this.sendMessage({
      video: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        width: 1280,
        height: 720,
        duration: options.duration ?? 3,
        mime_type: "video/mp4",
        file_size: file.file_size,
      },
    });
  }

  async sendsVoice(options: { duration?: number } = {}): Promise<Update> {
    const file = this.api.addFile(Buffer.concat([Buffer.from("OggS"), randomBytes(2048)]), { kind: "voice" });
    return this.sendMessage({
      voice: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        duration: options.duration ?? 2,
        mime_type: "audio/ogg",
        file_size: file.file_size,
      },
    });
  }

  async sendsSticker(): Promise<Update> {
    const file = this.api.addFile(Buffer.concat([Buffer.from("RIFF"), randomBytes(1024)]), { kind: "stickers", extension: "webp" });
    return this.sendMessage({
      sticker: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: "👍",
        file_size: file.file_size,
      },
    });
  }

  /** Sends any other kind of message: the fields are merged into a message from this person in this chat. */
  async sends(fields: Record<string, unknown>): Promise<Update> {
    return this.sendMessage(fields);
  }

  /** Edits one of this person's messages (an edited_message update). */
  async edits(messageId: number, text: string): Promise<Update> {
    const original = this.messageById(messageId);
    const update = this.api.enqueue({
      edited_message: { ...original, text, edit_date: this.api.now() } as unknown as Update["edited_message"] & object,
    });
    this.remember(update);
    return update;
  }

  /**
   * Presses a button by its label: the newest message of the bot in this chat whose inline keyboard has it
   * gets a callback query with its callback_data; a button of the reply keyboard shown is pressed by
   * sending its text. Throws, listing the buttons there are, when none matches.
   */
  async taps(label: string | RegExp): Promise<Update> {
    const matches = (text: string) => (typeof label === "string" ? text === label : label.test(text));
    for (const { message, replyKeyboard } of this.api.botMessagesNewestFirst(this.chat.id)) {
      const inline = inlineButtons(message).find((b) => matches(b.text));
      if (inline) {
        if (!("callback_data" in inline) || typeof inline.callback_data !== "string") {
          throw new Error(`Button "${inline.text}" of message ${message.message_id} is not a callback button`);
        }
        return this.sendCallback(message, inline.callback_data);
      }
      const reply = replyKeyboard?.keyboard.flat().find((b) => matches(keyboardText(b)));
      if (reply) {
        const request = typeof reply === "object" ? Object.keys(reply).find((key) => !["text", "style", "icon_custom_emoji_id"].includes(key)) : undefined;
        if (request) {
          throw new Error(`Button "${keyboardText(reply)}" is a ${request} button: send what it asks for (sendsLocation, sends({ contact }))`);
        }
        return this.says(keyboardText(reply));
      }
    }
    throw new Error(`No button ${String(label)} in chat ${this.chat.id}. ${this.describeButtons()}`);
  }

  /** Sends a callback query with any data (forged presses), attached to the bot's newest message with buttons. */
  async tapsData(data: string, options: { messageId?: number } = {}): Promise<Update> {
    const messages = this.api.botMessagesNewestFirst(this.chat.id).map((m) => m.message);
    const message = options.messageId !== undefined
      ? messages.find((m) => m.message_id === options.messageId)
      : (messages.find((m) => inlineButtons(m).length > 0) ?? messages[0]);
    if (!message) throw new Error(`No message of the bot in chat ${this.chat.id} to attach a callback query to`);
    return this.sendCallback(message, data);
  }

  /** Queues this person's last update again with the same update_id, as Telegram does after a failed delivery. */
  redeliverLast(): Update {
    if (!this.lastUpdate) throw new Error("Nothing to redeliver: this user sent no update yet");
    this.api.redeliver(this.lastUpdate);
    this.updateIds.push(this.lastUpdate.update_id);
    return this.lastUpdate;
  }

  // ------------------------------------------------------------ reading what the bot did

  /** The next thing the bot did in this chat (a message, an album, an edit) after the last one read. */
  async nextReply(options: WaitOptions = {}): Promise<Reply> {
    const reply = await this.api.waitFor(() => this.api.outputs(this.chat.id)[this.cursor], {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      message: () => `No reply from the bot in chat ${this.chat.id} (after ${this.cursor} read)`,
    });
    this.cursor++;
    return reply;
  }

  /** The next reply, which must match (a RegExp, a substring, or a predicate); otherwise a clear error. */
  async expectReply(pattern: ReplyPattern, options: WaitOptions = {}): Promise<Reply> {
    const reply = await this.nextReply(options);
    if (!replyMatches(reply, pattern)) {
      throw new Error(`Expected a reply matching ${describePattern(pattern)} in chat ${this.chat.id}, got ${describeReply(reply)}`);
    }
    return reply;
  }

  /** Reads replies until one matches, skipping the others. */
  async waitForReply(pattern: ReplyPattern, options: WaitOptions = {}): Promise<Reply> {
    const skipped: Reply[] = [];
    const found = await this.api.waitFor(
      () => {
        for (;;) {
          const reply = this.api.outputs(this.chat.id)[this.cursor];
          if (!reply) return undefined;
          this.cursor++;
          if (replyMatches(reply, pattern)) return reply;
          skipped.push(reply);
        }
      },
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        message: () =>
          `No reply matching ${describePattern(pattern)} in chat ${this.chat.id}; skipped: ${
            skipped.map(describeReply).join("; ") || "none"
          }`,
      },
    );
    return found;
  }

  /** Fails if the bot does anything visible in this chat within the time given. */
  async expectNoReply(withinMs = 300): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, withinMs));
    const unexpected = this.api.outputs(this.chat.id).slice(this.cursor);
    if (unexpected.length > 0) {
      throw new Error(`Expected no reply in chat ${this.chat.id}, got ${unexpected.map(describeReply).join("; ")}`);
    }
  }

  /** Every reply not read yet, now, without waiting; they count as read. */
  drainReplies(): Reply[] {
    const replies = this.api.outputs(this.chat.id).slice(this.cursor);
    this.cursor += replies.length;
    return replies;
  }

  /**
   * Resolves once the bot has finished every update this person sent (see FakeBotApi.settled): the bot
   * answers before it saves its state, so look at the database only after this.
   */
  async settled(options: WaitOptions = {}): Promise<void> {
    await this.api.settled(this.updateIds, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** How the bot answered a press (the toast or alert the person sees). */
  async callbackAnswer(tap: Update, options: WaitOptions = {}): Promise<{ text?: string; show_alert?: boolean; url?: string }> {
    const id = tap.callback_query?.id;
    if (!id) throw new Error("callbackAnswer needs the update returned by taps or tapsData");
    return this.api.waitFor(() => this.api.callbackAnswers.get(id), {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      message: () => `The bot did not answer callback query ${id}`,
    });
  }

  /** The bot's messages in this chat as they are now (edits applied). */
  messages(): BotMessage[] {
    return this.api.sentTo(this.chat.id);
  }

  // ------------------------------------------------------------ internals

  private async sendMessage(fields: Record<string, unknown>): Promise<Update> {
    const update = this.api.enqueue({ message: this.messageFields(fields) });
    this.remember(update);
    return update;
  }

  private messageFields(fields: Record<string, unknown>): Message & Update.NonChannel {
    return { from: this.user, chat: this.chat, ...fields } as unknown as Message & Update.NonChannel;
  }

  private remember(update: Update): void {
    this.lastUpdate = update;
    this.updateIds.push(update.update_id);
  }

  private sendCallback(message: Message, data: string): Promise<Update> {
    const update = this.api.enqueue({
      callback_query: {
        id: this.api.allocateCallbackQueryId(),
        from: this.user,
        message: structuredClone(message),
        chat_instance: chatInstance(this.chat.id),
        data,
      },
    });
    this.remember(update);
    return Promise.resolve(update);
  }

  private messageById(messageId: number): Message {
    const found = this.api.messagesIn(this.chat.id).find((m) => m.message.message_id === messageId);
    if (!found) throw new Error(`No message ${messageId} in chat ${this.chat.id}`);
    return found.message;
  }

  private async photoMessage(bytes: Buffer, options: SendsPhotoOptions): Promise<Record<string, unknown>> {
    return {
      photo: await this.photoSizes(bytes, options.reportedSize),
      ...(options.caption !== undefined ? { caption: options.caption } : {}),
      ...(options.mediaGroupId !== undefined ? { media_group_id: options.mediaGroupId } : {}),
    };
  }

  private async photoSizes(bytes: Buffer, reportedSize?: number): Promise<PhotoSize[]> {
    const size = (file: { file_id: string; file_unique_id: string; file_size: number }, width: number, height: number) => ({
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
      width,
      height,
    });
    const meta = await sharp(bytes, { failOn: "none" }).metadata().catch(() => undefined);
    const width = meta?.width;
    const height = meta?.height;
    const sizes: PhotoSize[] = [];
    if (width && height) {
      const longest = Math.max(width, height);
      for (const target of [90, 320, 800].filter((t) => t < longest)) {
        let small: { bytes: Buffer; width: number; height: number };
        if (width * height > RESIZE_PIXEL_LIMIT) {
          small = { bytes, width: Math.round((width * target) / longest), height: Math.round((height * target) / longest) };
        } else {
          const { data, info } = await sharp(bytes, { failOn: "none" })
            .resize(target, target, { fit: "inside" })
            .jpeg({ quality: 80 })
            .toBuffer({ resolveWithObject: true });
          small = { bytes: data, width: info.width, height: info.height };
        }
        sizes.push(size(this.api.addFile(small.bytes, { kind: "photos" }), small.width, small.height));
      }
      const largest = this.api.addFile(bytes, { kind: "photos", ...(reportedSize !== undefined ? { reportedSize } : {}) });
      sizes.push(size(largest, width, height));
      return sizes;
    }
    for (const [w, h] of [[90, 68], [320, 240]] as const) sizes.push(size(this.api.addFile(bytes, { kind: "photos" }), w, h));
    const largest = this.api.addFile(bytes, { kind: "photos", ...(reportedSize !== undefined ? { reportedSize } : {}) });
    sizes.push(size(largest, 1280, 960));
    return sizes;
  }

  private describeButtons(): string {
    const lines: string[] = [];
    for (const { message, replyKeyboard } of this.api.botMessagesNewestFirst(this.chat.id)) {
      const labels = [
        ...inlineButtons(message).map((b) => `[${b.text}]`),
        ...(replyKeyboard?.keyboard.flat().map((b) => `<${keyboardText(b)}>`) ?? []),
      ];
      if (labels.length) lines.push(`  message ${message.message_id}: ${labels.join(" ")}`);
      if (lines.length >= 6) break;
    }
    return lines.length ? `Buttons there are (newest first; <> = reply keyboard):\n${lines.join("\n")}` : "The bot shows no buttons.";
  }
}

function inlineButtons(message: Message): InlineKeyboardButton[] {
  return message.reply_markup?.inline_keyboard.flat() ?? [];
}

function keyboardText(button: KeyboardButton): string {
  return typeof button === "string" ? button : button.text;
}

function chatInstance(chatId: number): string {
  return BigInt.asIntN(64, BigInt(chatId) * 0x9e3779b97f4a7c15n).toString();
}

function replyMatches(reply: Reply, pattern: ReplyPattern): boolean {
  if (typeof pattern === "function") return pattern(reply);
  if (typeof pattern === "string") return reply.body.includes(pattern);
  return pattern.test(reply.body);
}

function describePattern(pattern: ReplyPattern): string {
  return typeof pattern === "function" ? "the predicate" : typeof pattern === "string" ? JSON.stringify(pattern) : String(pattern);
}

export function describeReply(reply: Reply): string {
  const buttons = reply.buttons.length ? ` buttons [${reply.buttons.join("] [")}]` : "";
  const files = reply.attachments.length ? ` ${reply.attachments.length} file(s)` : "";
  return `${reply.method}${reply.edited ? " (edit)" : ""} ${JSON.stringify(reply.body.slice(0, 300))}${buttons}${files}`;
}
