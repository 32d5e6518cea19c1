import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type {
  BotCommand,
  Chat,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { parseMultipart, type MultipartPart } from "./multipart.js";
import {
  badRequest,
  BotApiError,
  MAX_CAPTION_LENGTH,
  MAX_TEXT_LENGTH,
  parseFormattedText,
  validateReplyMarkup,
} from "./telegram-text.js";
import { seededRandom } from "../helpers/seeded-random.js";

export { BotApiError } from "./telegram-text.js";

// ---------------------------------------------------------------- public types

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  ok: boolean;
  result?: unknown;
  errorCode?: number;
  description?: string;
  /** The failure came from failNext or setRandomFailures, not from the request itself. */
  injected: boolean;
  /** Not a Bot API method the fake knows: answered `true` and listed in `unknownCalls`. */
  unknown: boolean;
}

/** A file the bot uploaded with multipart/form-data, or one it referred to by file_id. */
export interface Attachment {
  fileId: string;
  fileUniqueId: string;
  /** The multipart field (`photo`, `document`, an `attach://` id's media type) or `file_id`/`url`. */
  source: "upload" | "file_id" | "url";
  fileName?: string;
  bytes: Buffer;
  url?: string;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  /** What Telegram reports; may exceed the real bytes to test refusals made before downloading. */
  file_size: number;
  file_path: string;
  bytes: Buffer;
  downloads: number;
}

export interface AddFileOptions {
  /** Folder of file_path, as Telegram names them: photos, documents, videos, voice, stickers. */
  kind?: "photos" | "documents" | "videos" | "voice" | "stickers" | "animations";
  extension?: string;
  /** Report this file_size (in messages and getFile) instead of the real length. */
  reportedSize?: number;
  fileUniqueId?: string;
}

/** A message the bot sent, as the chat shows it now (edits applied). */
export interface BotMessage {
  chatId: number;
  messageId: number;
  /** The method that created it. */
  method: string;
  text?: string;
  caption?: string;
  replyMarkup?: ReplyMarkup;
  buttons: string[];
  attachments: Attachment[];
  edited: boolean;
  deleted: boolean;
  message: Message;
}

/** One thing the bot did in a chat that a person would see: a new message, an album, or an edit. */
export interface Reply {
  method: string;
  chatId: number;
  messageId: number;
  /** Every message of a media group; one id otherwise. */
  messageIds: number[];
  edited: boolean;
  text?: string;
  caption?: string;
  /** text, else caption, else "": what a regular expression in a test is matched against. */
  body: string;
  replyMarkup?: ReplyMarkup;
  /** Labels of the inline or reply keyboard, row by row, flattened. */
  buttons: string[];
  inlineKeyboard: InlineKeyboardButton[][];
  attachments: Attachment[];
  location?: { latitude: number; longitude: number };
  /** The message(s) as they were at that moment. */
  messages: Message[];
  at: number;
}

export type InjectedFailure = { status: number; retryAfter?: number; description?: string } | { network: true };

export interface InjectedFailureRecord {
  method: string;
  failure: InjectedFailure;
  at: number;
}

export interface RandomFailureOptions {
  /** Share of eligible calls that fail, 0..1. */
  rate: number;
  seed: number;
  /** Methods that may fail (default: every method but getUpdates; the file download path is "downloadFile"). */
  methods?: string[];
  /** Default: half 429 with retry_after 1, half 500. */
  failures?: InjectedFailure[];
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  at: number;
}

export interface WebhookDelivery {
  updateId: number;
  /** HTTP status, or 0 when the connection failed. */
  status: number;
  at: number;
}

export interface FakeBotApiOptions {
  botInfo?: Partial<UserFromGetMe>;
  /** When set, every other token gets 401 Unauthorized. */
  token?: string;
  /** getFile refuses files whose reported size is larger ("file is too big"); Telegram's public limit is 20 MB. */
  maxDownloadBytes?: number;
  /** Request bodies larger than this get 413; Telegram's upload limit is 50 MB. */
  maxUploadBytes?: number;
  /**
   * Telegram refuses to write to a user who never wrote to the bot and to a chat the bot is not in. Off: any
   * chat id is accepted and made up on first use.
   */
  strictChats?: boolean;
  /** How long after a failed webhook POST the update is posted again. */
  webhookRetryMs?: number;
  /** "per-chat" (default): one update of a chat in flight at a time; "none": as many as max_connections. */
  webhookOrdering?: "per-chat" | "none";
  /**
   * Without `instrument(bot)`, a long-polling bot is taken to have finished an update once it asked for the
   * next ones and made no API call for this long.
   */
  quietMs?: number;
}

export const TEST_BOT_ID = 7_000_000_001;
/** A token in Telegram's format, accepted by the bot's configuration. */
export const TEST_BOT_TOKEN = `${TEST_BOT_ID}:AAHfakeTokenForTests-0123456789abcdef`;

// ---------------------------------------------------------------- internal state

type Params = Record<string, unknown>;

interface StoredMessage {
  message: Message;
  fromBot: boolean;
  method?: string;
  attachments: Attachment[];
  replyKeyboard?: ReplyKeyboardMarkup;
  edited: boolean;
  deleted: boolean;
}

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  outputs: Reply[];
  /** The reply keyboard a person sees under the input field, with the message that set it. */
  replyKeyboard?: { messageId: number; markup: ReplyKeyboardMarkup };
  /** A private chat is writable once its user wrote to the bot. */
  started: boolean;
  botBlocked: boolean;
  botRemoved: boolean;
}

interface QueuedUpdate {
  update: Update;
  /** Queued again by redeliver(): handed out once more even though the offset is past it. */
  forced: boolean;
  returned: boolean;
  inFlight: boolean;
  notBefore: number;
}

export interface UpdateStatus {
  /** Times queued: 1, plus one per redelivery. */
  queued: number;
  /** Times handed to the bot (in a getUpdates answer or a webhook POST). */
  returned: number;
  /** Times the bot confirmed it (a later offset, or a 2xx webhook answer). */
  confirmed: number;
  /** Times an instrumented bot finished handling it. */
  handled: number;
  queuedAt: number;
  /** Date.now() when first handed to the bot. */
  deliveredAt?: number;
  /** Date.now() when an instrumented bot last finished handling it. */
  handledAt?: number;
}

interface PollWaiter {
  params: Params;
  respond(result: unknown): void;
  fail(error: BotApiError): void;
  timer: NodeJS.Timeout;
}

interface Webhook {
  url: string;
  secret?: string;
  maxConnections: number;
  pendingError?: { date: number; message: string };
}

class ResponseSent extends Error {}

const updateTypes = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "callback_query",
  "inline_query",
  "chosen_inline_result",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "message_reaction",
  "poll",
  "poll_answer",
  "pre_checkout_query",
  "shipping_query",
];
/** Telegram leaves these out unless asked for by name. */
const optInUpdateTypes = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const booleanMethods = new Set(
  [
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
    "setMyDefaultAdministratorRights",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "setMessageReaction",
    "logOut",
    "close",
  ].map((m) => m.toLowerCase()),
);

const numericFields = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "message_thread_id",
  "reply_to_message_id",
  "offset",
  "limit",
  "timeout",
  "latitude",
  "longitude",
  "horizontal_accuracy",
  "live_period",
  "heading",
  "proximity_alert_radius",
  "duration",
  "width",
  "height",
  "max_connections",
  "user_id",
]);
const booleanFields = new Set([
  "disable_notification",
  "protect_content",
  "allow_sending_without_reply",
  "has_spoiler",
  "show_caption_above_media",
  "disable_content_type_detection",
  "drop_pending_updates",
  "show_alert",
  "revoke_messages",
]);

const mimeByExtension: Record<string, string> = {
  pdf: "application/pdf",
  zip: "application/zip",
  csv: "text/csv",
  json: "application/json",
  geojson: "application/geo+json",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  txt: "text/plain",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  heic: "image/heic",
  gif: "image/gif",
  mp4: "video/mp4",
  ogg: "audio/ogg",
};

const DELETE_WINDOW_SECONDS = 48 * 3600;

/**
 * A Bot API server on 127.0.0.1 for end-to-end tests: the bot under test talks to it exactly as to
 * Telegram (`client.apiRoot` / `BOT_API_ROOT`), tests queue updates into it and read what the bot did.
 */
export class FakeBotApi {
  readonly botInfo: UserFromGetMe;
  /** Every request to a Bot API method, in arrival order, including failed and long-polling ones. */
  readonly calls: RecordedCall[] = [];
  /** Every GET of the file download path. */
  readonly downloads: { filePath: string; fileId?: string; status: number; at: number }[] = [];
  readonly injectedFailures: InjectedFailureRecord[] = [];
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly callbackAnswers = new Map<string, CallbackAnswer>();

  private readonly options: Required<Omit<FakeBotApiOptions, "botInfo" | "token">> & { token?: string };
  private readonly server: http.Server;
  private readonly events = new EventEmitter();
  private port = 0;
  private stopped = false;
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private readonly queue: QueuedUpdate[] = [];
  private readonly statuses = new Map<number, UpdateStatus>();
  private readonly pendingCallbackQueries = new Set<string>();
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly pollWaiters = new Set<PollWaiter>();
  private allowedUpdates: string[] | undefined;
  private webhook: Webhook | undefined;
  private readonly webhookAborts = new Set<AbortController>();
  private webhookTimer: NodeJS.Timeout | undefined;
  private nextUpdateId = 500_000_001;
  private nextUserId = 0;
  private nextFileNumber = 1;
  private nextCallbackId = 1;
  private clockOffsetMs = 0;
  private readonly failQueue = new Map<string, InjectedFailure[]>();
  private random: { next: () => number; options: RandomFailureOptions; lastPollFailed: boolean } | undefined;
  private instrumented = false;
  private activeRequests = 0;
  private openResponses = 0;
  private lastActivityAt = 0;

  constructor(options: FakeBotApiOptions = {}) {
    const tokenId = options.token ? Number(options.token.split(":")[0]) : undefined;
    this.botInfo = {
      id: tokenId && Number.isSafeInteger(tokenId) ? tokenId : TEST_BOT_ID,
      is_bot: true,
      first_name: "Svidok Test",
      username: "svidok_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...options.botInfo,
    };
    this.options = {
      maxDownloadBytes: options.maxDownloadBytes ?? 20 * 1024 * 1024,
      maxUploadBytes: options.maxUploadBytes ?? 50 * 1024 * 1024,
      strictChats: options.strictChats ?? true,
      webhookRetryMs: options.webhookRetryMs ?? 100,
      webhookOrdering: options.webhookOrdering ?? "per-chat",
      quietMs: options.quietMs ?? 100,
      ...(options.token ? { token: options.token } : {}),
    };
    this.events.setMaxListeners(0);
    this.server = http.createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (error instanceof ResponseSent) return;
        if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: String(error) });
      });
    });
  }

  /** Creates a server and starts listening on a random loopback port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const api = new FakeBotApi(options);
    await api.listen();
    return api;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** What the bot is given as `client.apiRoot` / BOT_API_ROOT. */
  get apiRoot(): string {
    if (!this.port) throw new Error("FakeBotApi is not listening: call listen() or FakeBotApi.start()");
    return `http://127.0.0.1:${this.port}`;
  }

  /** Closes the server: pending long polls get an empty answer, webhook posts are aborted, sockets closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const waiter of [...this.pollWaiters]) waiter.respond([]);
    for (const abort of this.webhookAborts) abort.abort();
    if (this.webhookTimer) clearTimeout(this.webhookTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Let the answers just given (the emptied long polls) reach their clients before the sockets go.
    const deadline = Date.now() + 500;
    while (this.openResponses > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    this.server.closeAllConnections();
    if (this.port) await closed;
    this.events.emit("change");
  }

  // ------------------------------------------------------------ clock

  /** Telegram's clock as the fake shows it, in seconds. */
  now(): number {
    return Math.floor((Date.now() + this.clockOffsetMs) / 1000);
  }

  /** Moves the fake's clock (message dates, the 48-hour deletion window) forward. */
  advanceTime(seconds: number): void {
    this.clockOffsetMs += seconds * 1000;
  }

  // ------------------------------------------------------------ chats and users

  /** A new, distinctive user id (ten digits, so a grep for it finds nothing else). */
  allocateUserId(): number {
    this.nextUserId++;
    return 7_310_000_000 + this.nextUserId * 7_919;
  }

  registerUser(user: User): void {
    this.users.set(user.id, user);
  }

  /** Makes a chat known (a private chat becomes writable only once its user wrote to the bot). */
  registerChat(chat: Chat): void {
    this.chatState(chat);
  }

  /** A group the bot is a member of. Supergroup ids look like -100…, as in Telegram. */
  createGroup(title: string, options: { supergroup?: boolean; id?: number } = {}): Chat.GroupChat | Chat.SupergroupChat {
    const number = this.chats.size + 1;
    const chat: Chat.GroupChat | Chat.SupergroupChat = options.supergroup === false
      ? { id: options.id ?? -(4_100_000_000 + number), type: "group", title }
      : { id: options.id ?? -(1_001_900_000_000 + number), type: "supergroup", title };
    this.chatState(chat);
    return chat;
  }

  /** The person blocked the bot: writing to them gets 403 from now on. */
  blockBot(userId: number): void {
    this.requireChat(userId).botBlocked = true;
  }

  /** The bot was removed from a group: writing there gets 403 from now on. */
  removeBotFromChat(chatId: number): void {
    this.requireChat(chatId).botRemoved = true;
  }

  // ------------------------------------------------------------ updates

  /**
   * Queues an update as Telegram would: assigns the update_id, and for a message its message_id (from
   * the chat's counter, which the bot's messages share) and date; registers the sender and the chat.
   */
  enqueue(partial: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const [update] = this.enqueueMany([partial]);
    return update!;
  }

  /** Queues several updates at once, so one getUpdates can hand them out together (an album). */
  enqueueMany(partials: (Omit<Update, "update_id"> & { update_id?: number })[]): Update[] {
    if (this.stopped) throw new Error("FakeBotApi is stopped");
    const updates = partials.map((partial) => {
      const update = { ...partial, update_id: partial.update_id ?? this.nextUpdateId++ } as Update;
      this.absorbIncoming(update);
      this.queue.push({ update, forced: false, returned: false, inFlight: false, notBefore: 0 });
      this.status(update.update_id).queued++;
      return update;
    });
    this.changed();
    return updates;
  }

  /** Queues an update again with the same update_id, as Telegram does after a delivery it thinks failed. */
  redeliver(update: Update): void {
    this.queue.push({ update, forced: true, returned: false, inFlight: false, notBefore: 0 });
    this.queue.sort((a, b) => a.update.update_id - b.update.update_id);
    this.status(update.update_id).queued++;
    this.changed();
  }

  /** Updates queued and not yet confirmed by the bot. */
  get pendingUpdateCount(): number {
    return this.queue.length;
  }

  /**
   * Wraps the bot's handleUpdate so the fake knows when the bot has finished an update (state saved),
   * which long polling alone cannot tell when updates are handled concurrently (@grammyjs/runner).
   */
  instrument(bot: { handleUpdate(update: Update, ...rest: never[]): Promise<void> }): void {
    const original = bot.handleUpdate.bind(bot);
    this.instrumented = true;
    bot.handleUpdate = async (update: Update, ...rest: never[]) => {
      try {
        await original(update, ...rest);
      } finally {
        const status = this.status(update.update_id);
        status.handled++;
        status.handledAt = Date.now();
        this.changed();
      }
    };
  }

  /** Marks an update as handled, for bots instrumented another way (a hook in a child process's logs). */
  markHandled(updateId: number): void {
    this.instrumented = true;
    const status = this.status(updateId);
    status.handled++;
    status.handledAt = Date.now();
    this.changed();
  }

  /** Delivery counts and times of an update (handling time = handledAt - deliveredAt with `instrument`). */
  updateStatus(updateId: number): Readonly<UpdateStatus> | undefined {
    const status = this.statuses.get(updateId);
    return status ? { ...status } : undefined;
  }

  /** Whether the bot has finished with every delivery of this update (see `settled`). */
  isSettled(updateId: number): boolean {
    const status = this.statuses.get(updateId);
    if (!status) return true;
    if (this.instrumented) return status.handled >= status.queued;
    if (status.confirmed < status.queued) return false;
    if (this.webhook) return true;
    return this.activeRequests === 0 && Date.now() - this.lastActivityAt >= this.options.quietMs;
  }

  /**
   * Resolves once the bot has finished the given updates: handled (with `instrument`), or posted back 2xx
   * (webhook), or asked for updates past them and then gone quiet (long polling without instrumentation).
   */
  async settled(updateIds: number[], timeoutMs = 5_000): Promise<void> {
    await this.waitFor(() => updateIds.every((id) => this.isSettled(id)), {
      timeoutMs,
      message: () => `updates ${updateIds.join(", ")} not settled`,
    });
  }

  /** Resolves once every update queued so far is settled. */
  async allSettled(timeoutMs = 5_000): Promise<void> {
    await this.settled([...this.statuses.keys()], timeoutMs);
  }

  // ------------------------------------------------------------ files

  /** Stores bytes as a Telegram file the bot can fetch with getFile and the download path. */
  addFile(bytes: Buffer, options: AddFileOptions = {}): StoredFile {
    const kind = options.kind ?? "documents";
    const number = this.nextFileNumber++;
    const extension = options.extension ?? (kind === "photos" ? "jpg" : kind === "voice" ? "oga" : "bin");
    const prefix = { photos: "AgACAgIAAxkBAA", documents: "BQACAgIAAxkBAA", videos: "BAACAgIAAxkBAA", voice: "AwACAgIAAxkBAA", stickers: "CAACAgIAAxkBAA", animations: "CgACAgIAAxkBAA" }[kind];
    const file: StoredFile = {
      file_id: `${prefix}${randomBytes(36).toString("base64url")}`,
      file_unique_id: options.fileUniqueId ?? `AQAD${randomBytes(9).toString("base64url")}`,
      file_size: options.reportedSize ?? bytes.length,
      file_path: `${kind}/file_${number}.${extension}`,
      bytes,
      downloads: 0,
    };
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  /** How often a file was downloaded (all files when no id is given). */
  downloadCount(fileId?: string): number {
    return this.downloads.filter((d) => d.status === 200 && (fileId === undefined || d.fileId === fileId)).length;
  }

  // ------------------------------------------------------------ failure injection

  /** The next `count` calls to `method` ("downloadFile" for the file path) fail this way. */
  failNext(method: string, failure: InjectedFailure, count = 1): void {
    const key = method.toLowerCase();
    const list = this.failQueue.get(key) ?? [];
    for (let i = 0; i < count; i++) list.push(failure);
    this.failQueue.set(key, list);
  }

  /**
   * Fails a seeded random share of calls. getUpdates fails only when listed, and never twice in a row,
   * so a polling bot always gets through.
   */
  setRandomFailures(options: RandomFailureOptions | undefined): void {
    this.random = options ? { next: seededRandom(options.seed), options, lastPollFailed: false } : undefined;
  }

  injectedFailureCount(method?: string): number {
    return this.injectedFailures.filter((f) => method === undefined || f.method.toLowerCase() === method.toLowerCase())
      .length;
  }

  // ------------------------------------------------------------ what the bot did

  /** Calls to a method, in order; `{ ok: true }` keeps only the ones that succeeded. */
  callsTo(method: string, filter: { ok?: boolean } = {}): RecordedCall[] {
    const key = method.toLowerCase();
    return this.calls.filter((c) => c.method.toLowerCase() === key && (filter.ok === undefined || c.ok === filter.ok));
  }

  /** Calls to methods the fake does not implement (answered `true`): tests can assert there are none. */
  get unknownCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.unknown);
  }

  /** Messages the bot sent to a chat, oldest first, as they look now (edits applied, deletions flagged). */
  sentTo(chatId: number): BotMessage[] {
    const state = this.chats.get(chatId);
    if (!state) return [];
    return [...state.messages.values()].filter((m) => m.fromBot).map((m) => toBotMessage(chatId, m));
  }

  /** Every message of a chat, both sides, oldest first (deleted ones included, flagged). */
  messagesIn(chatId: number): { message: Message; fromBot: boolean; deleted: boolean }[] {
    const state = this.chats.get(chatId);
    if (!state) return [];
    return [...state.messages.values()].map((m) => ({ message: m.message, fromBot: m.fromBot, deleted: m.deleted }));
  }

  /** What the bot did in a chat that a person sees, in order (see Reply). */
  outputs(chatId: number): readonly Reply[] {
    return this.chats.get(chatId)?.outputs ?? [];
  }

  /** The reply keyboard currently shown in a chat, if any. */
  replyKeyboard(chatId: number): { messageId: number; markup: ReplyKeyboardMarkup } | undefined {
    return this.chats.get(chatId)?.replyKeyboard;
  }

  /** Callback queries the bot has not answered (each leaves a spinning button on the person's phone). */
  get unansweredCallbackQueries(): string[] {
    return [...this.pendingCallbackQueries];
  }

  /** The commands set with setMyCommands for a scope and language. */
  commandsFor(scope: Record<string, unknown> = { type: "default" }, languageCode = ""): BotCommand[] | undefined {
    return this.commands.get(commandKey(scope, languageCode));
  }

  get webhookInfo(): { url: string; secret?: string } | undefined {
    return this.webhook ? { url: this.webhook.url, ...(this.webhook.secret ? { secret: this.webhook.secret } : {}) } : undefined;
  }

  /**
   * Resolves with the first truthy value of `check`, evaluated on every change (and every 25 ms, for
   * conditions that depend on time); rejects after the timeout with the message and the latest calls.
   */
  async waitFor<T>(check: () => T | undefined | false | null, options: { timeoutMs?: number; message?: () => string } = {}): Promise<T> {
    const first = check();
    if (first) return first;
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise<T>((resolve, reject) => {
      const onChange = () => {
        let value: T | undefined | false | null;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value) {
          finish();
          resolve(value);
        }
      };
      const interval = setInterval(onChange, 25);
      const timer = setTimeout(() => {
        finish();
        const what = options.message?.() ?? "condition not met";
        reject(new Error(`${what} within ${timeoutMs} ms.\n${this.describeRecentCalls()}`));
      }, timeoutMs);
      const finish = () => {
        clearInterval(interval);
        clearTimeout(timer);
        this.events.off("change", onChange);
      };
      this.events.on("change", onChange);
    });
  }

  /** The latest calls, one line each, for failure messages. */
  describeRecentCalls(count = 25): string {
    const lines = this.calls
      .filter((c) => c.method !== "getUpdates")
      .slice(-count)
      .map((c) => {
        const target = c.params.chat_id !== undefined ? ` chat ${String(c.params.chat_id)}` : "";
        const text = c.params.text ?? c.params.caption;
        const outcome = c.ok ? "" : ` -> ${c.errorCode} ${c.description}`;
        return `  ${c.method}${target}${typeof text === "string" ? ` ${JSON.stringify(text.slice(0, 80))}` : ""}${outcome}`;
      });
    return lines.length ? `Latest Bot API calls:\n${lines.join("\n")}` : "No Bot API call (besides getUpdates) was made.";
  }

  /** Posts one update to a URL as Telegram's webhook delivery does; resolves with the HTTP status. */
  async deliverViaWebhook(url: string, update: Update, secret?: string): Promise<number> {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}),
      },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    return response.status;
  }

  // ------------------------------------------------------------ HTTP

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.openResponses++;
    res.once("close", () => this.openResponses--);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    // Everything but a waiting long poll counts as the bot being busy (see isSettled).
    const isPoll = match?.[2]?.toLowerCase() === "getupdates";
    if (!isPoll) this.activity(+1);
    try {
      const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (fileMatch && (req.method === "GET" || req.method === "HEAD")) {
        this.serveFile(fileMatch[1]!, decodeURIComponent(fileMatch[2]!), req, res);
        return;
      }
      const [, token, method] = (match ?? []) as [string?, string?, string?];
      if (!token || !method || !/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
        sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        return;
      }
      if (this.options.token && token !== this.options.token) {
        sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
        return;
      }
      let params: Params;
      try {
        params = await this.readParams(req, url);
      } catch (error) {
        if (error instanceof BotApiError) {
          sendJson(res, error.errorCode, errorBody(error));
          return;
        }
        throw error;
      }
      await this.dispatch(method, params, req, res);
    } finally {
      if (!isPoll) this.activity(-1);
    }
  }

  private activity(delta: number): void {
    this.activeRequests += delta;
    this.lastActivityAt = Date.now();
  }

  private async readParams(req: http.IncomingMessage, url: URL): Promise<Params> {
    const params: Params = Object.fromEntries(url.searchParams);
    const body = await readBody(req, this.options.maxUploadBytes);
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (body.length === 0) return coerceFields(params);
    if (type.startsWith("application/json")) {
      try {
        return { ...params, ...(JSON.parse(body.toString("utf8")) as Params) };
      } catch {
        throw badRequest("can't parse JSON encoded request parameters");
      }
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      return coerceFields({ ...params, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) });
    }
    if (type.startsWith("multipart/form-data")) {
      let parts: MultipartPart[];
      try {
        parts = parseMultipart(body, req.headers["content-type"]!);
      } catch (error) {
        throw badRequest(`can't parse multipart/form-data: ${(error as Error).message}`);
      }
      return this.resolveUploads(parts, params);
    }
    throw badRequest("unsupported content type");
  }

  /** Fields become params; file parts replace the `attach://id` strings that refer to them. */
  private resolveUploads(parts: MultipartPart[], base: Params): Params {
    const uploads = new Map<string, MultipartPart>();
    const fields: Params = { ...base };
    for (const part of parts) {
      if (part.filename !== undefined) uploads.set(part.name, part);
      else fields[part.name] = part.data.toString("utf8");
    }
    const params = coerceFields(fields);
    const resolve = (value: unknown): unknown => {
      if (typeof value === "string" && value.startsWith("attach://")) {
        const part = uploads.get(value.slice("attach://".length));
        if (!part) throw badRequest(`file attach://${value.slice(9)} not found in the request`);
        uploads.delete(part.name);
        return { __upload: part };
      }
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === "object" && !("__upload" in value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      }
      return value;
    };
    const resolved = resolve(params) as Params;
    // A part named after the field itself (how other clients upload) is the field's file.
    for (const [name, part] of uploads) {
      if (resolved[name] === undefined) resolved[name] = { __upload: part };
    }
    return resolved;
  }

  private async dispatch(method: string, params: Params, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const call: RecordedCall = { method, params: describeParams(params), at: Date.now(), ok: false, injected: false, unknown: false };
    this.calls.push(call);
    const failure = this.takeFailure(method);
    if (failure) {
      call.injected = true;
      this.injectedFailures.push({ method, failure, at: call.at });
      if ("network" in failure) {
        call.errorCode = 0;
        call.description = "connection reset (injected)";
        this.changed();
        req.socket.destroy();
        return;
      }
      const error = failureError(failure);
      call.errorCode = error.errorCode;
      call.description = error.description;
      this.changed();
      sendJson(res, error.errorCode, errorBody(error));
      return;
    }
    try {
      const result = method.toLowerCase() === "getupdates"
        ? await this.getUpdates(params, req)
        : this.invoke(method, params, call);
      call.ok = true;
      call.result = result;
      this.changed();
      sendJson(res, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof ResponseSent) {
        call.description = "request abandoned by the client";
        this.changed();
        return;
      }
      if (!(error instanceof BotApiError)) throw error;
      call.errorCode = error.errorCode;
      call.description = error.description;
      this.changed();
      sendJson(res, error.errorCode, errorBody(error));
    }
  }

  private takeFailure(method: string): InjectedFailure | undefined {
    const key = method.toLowerCase();
    const queued = this.failQueue.get(key);
    if (queued?.length) return queued.shift();
    if (!this.random) return undefined;
    const { options } = this.random;
    const isPoll = key === "getupdates";
    const eligible = options.methods
      ? options.methods.some((m) => m.toLowerCase() === key)
      : !isPoll && key !== "downloadfile";
    if (!eligible) return undefined;
    if (isPoll && this.random.lastPollFailed) {
      this.random.lastPollFailed = false;
      return undefined;
    }
    const roll = this.random.next();
    if (roll >= options.rate) {
      if (isPoll) this.random.lastPollFailed = false;
      return undefined;
    }
    if (isPoll) this.random.lastPollFailed = true;
    const failures = options.failures ?? [{ status: 429, retryAfter: 1 }, { status: 500 }];
    return failures[Math.floor(this.random.next() * failures.length)]!;
  }

  private serveFile(token: string, filePath: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const record = (status: number, fileId?: string) => {
      this.downloads.push({ filePath, status, at: Date.now(), ...(fileId ? { fileId } : {}) });
      this.changed();
    };
    if (this.options.token && token !== this.options.token) {
      record(401);
      sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const failure = this.takeFailure("downloadFile");
    if (failure) {
      this.injectedFailures.push({ method: "downloadFile", failure, at: Date.now() });
      if ("network" in failure) {
        record(0);
        req.socket.destroy();
        return;
      }
      record(failure.status);
      sendJson(res, failure.status, errorBody(failureError(failure)));
      return;
    }
    const file = this.filesByPath.get(filePath);
    if (!file) {
      record(404);
      sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    file.downloads++;
    record(200, file.file_id);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.bytes.length });
    res.end(req.method === "HEAD" ? undefined : file.bytes);
  }

  // ------------------------------------------------------------ long polling

  private getUpdates(params: Params, req: http.IncomingMessage): Promise<Update[]> | Update[] {
    if (this.webhook) {
      throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    for (const waiter of [...this.pollWaiters]) {
      waiter.fail(new BotApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    }
    if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates as string[];
    this.confirmUpTo(typeof params.offset === "number" ? params.offset : 0);
    const ready = this.takeForPoll(params);
    const timeout = typeof params.timeout === "number" ? params.timeout : 0;
    if (ready.length > 0 || timeout <= 0 || this.stopped) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const settle = () => {
        this.pollWaiters.delete(waiter);
        clearTimeout(waiter.timer);
        req.socket.off("close", onClose);
      };
      const waiter: PollWaiter = {
        params,
        respond: (result) => {
          settle();
          resolve(result as Update[]);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
        timer: setTimeout(() => waiter.respond([]), timeout * 1000),
      };
      // A bot that stops (or is killed) drops its pending poll; it must not receive updates meant for the next one.
      const onClose = () => {
        settle();
        reject(new ResponseSent());
      };
      req.socket.once("close", onClose);
      this.pollWaiters.add(waiter);
    });
  }

  private confirmUpTo(offset: number): void {
    const keep: QueuedUpdate[] = [];
    const cutoff = offset < 0 ? this.queue.length + offset : -1;
    this.queue.forEach((entry, index) => {
      const confirmed = entry.forced
        ? entry.returned
        : offset > 0
          ? entry.update.update_id < offset
          : index < cutoff;
      if (confirmed) this.status(entry.update.update_id).confirmed++;
      else keep.push(entry);
    });
    this.queue.splice(0, this.queue.length, ...keep);
  }

  private takeForPoll(params: Params): Update[] {
    const offset = typeof params.offset === "number" && params.offset > 0 ? params.offset : 0;
    const limit = Math.min(100, Math.max(1, typeof params.limit === "number" ? params.limit : 100));
    const taken: Update[] = [];
    for (const entry of [...this.queue]) {
      if (taken.length >= limit) break;
      if (entry.forced ? entry.returned : entry.update.update_id < offset) continue;
      if (!this.isAllowed(entry.update)) {
        // Telegram drops updates of types the bot did not ask for.
        this.queue.splice(this.queue.indexOf(entry), 1);
        const status = this.status(entry.update.update_id);
        status.confirmed = status.handled = status.queued;
        continue;
      }
      entry.returned = true;
      this.delivered(entry.update.update_id);
      taken.push(entry.update);
    }
    return taken;
  }

  private isAllowed(update: Update): boolean {
    const type = updateTypes.find((t) => t in update) ?? Object.keys(update).find((k) => k !== "update_id") ?? "";
    if (this.allowedUpdates && this.allowedUpdates.length > 0) return this.allowedUpdates.includes(type);
    return !optInUpdateTypes.has(type);
  }

  private flushPolls(): void {
    for (const waiter of [...this.pollWaiters]) {
      const ready = this.takeForPoll(waiter.params);
      if (ready.length > 0) waiter.respond(ready);
    }
  }

  // ------------------------------------------------------------ webhook delivery

  private pumpWebhook(): void {
    const webhook = this.webhook;
    if (!webhook || this.stopped) return;
    const now = Date.now();
    let inFlight = this.queue.filter((e) => e.inFlight).length;
    const busyChats = new Set<number | undefined>();
    let nextWake = Infinity;
    for (const entry of this.queue) {
      const chatId = updateChatId(entry.update);
      const perChat = this.options.webhookOrdering === "per-chat" && chatId !== undefined;
      if (entry.inFlight || entry.notBefore > now || (perChat && busyChats.has(chatId))) {
        if (perChat) busyChats.add(chatId);
        if (!entry.inFlight && entry.notBefore > now) nextWake = Math.min(nextWake, entry.notBefore);
        continue;
      }
      if (inFlight >= webhook.maxConnections) break;
      if (!this.isAllowed(entry.update)) {
        this.queue.splice(this.queue.indexOf(entry), 1);
        const status = this.status(entry.update.update_id);
        status.confirmed = status.handled = status.queued;
        this.pumpWebhook();
        return;
      }
      if (perChat) busyChats.add(chatId);
      entry.inFlight = true;
      inFlight++;
      void this.postToWebhook(webhook, entry);
    }
    if (this.webhookTimer) clearTimeout(this.webhookTimer);
    this.webhookTimer = Number.isFinite(nextWake)
      ? setTimeout(() => this.pumpWebhook(), Math.max(1, nextWake - Date.now()))
      : undefined;
  }

  private async postToWebhook(webhook: Webhook, entry: QueuedUpdate): Promise<void> {
    const abort = new AbortController();
    this.webhookAborts.add(abort);
    const updateId = entry.update.update_id;
    this.delivered(updateId);
    let status = 0;
    let body = "";
    try {
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(webhook.secret ? { "x-telegram-bot-api-secret-token": webhook.secret } : {}),
        },
        body: JSON.stringify(entry.update),
        signal: abort.signal,
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      if (this.stopped) return;
      webhook.pendingError = { date: this.now(), message: `Connection failed: ${(error as Error).message}` };
    } finally {
      this.webhookAborts.delete(abort);
    }
    this.webhookDeliveries.push({ updateId, status, at: Date.now() });
    entry.inFlight = false;
    if (status >= 200 && status < 300) {
      this.queue.splice(this.queue.indexOf(entry), 1);
      this.status(updateId).confirmed++;
      this.answerWebhookReply(body);
    } else {
      if (status) webhook.pendingError = { date: this.now(), message: `Wrong response from the webhook: ${status}` };
      entry.notBefore = Date.now() + this.options.webhookRetryMs;
    }
    this.changed();
  }

  /** A bot may answer a webhook POST with a method call in the response body instead of a request. */
  private answerWebhookReply(body: string): void {
    if (!body.trim().startsWith("{")) return;
    let params: Params;
    try {
      params = JSON.parse(body) as Params;
    } catch {
      return;
    }
    if (typeof params.method !== "string") return;
    const { method, ...rest } = params;
    const call: RecordedCall = { method: method as string, params: rest, at: Date.now(), ok: false, injected: false, unknown: false };
    this.calls.push(call);
    try {
      call.result = this.invoke(method as string, rest, call);
      call.ok = true;
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      call.errorCode = error.errorCode;
      call.description = error.description;
    }
  }

  // ------------------------------------------------------------ methods

  private invoke(method: string, p: Params, call: RecordedCall): unknown {
    switch (method.toLowerCase()) {
      case "getme":
        return this.botInfo;
      case "sendmessage":
        return this.sendMessage(p);
      case "sendphoto":
        return this.sendMedia("sendPhoto", p, "photo");
      case "senddocument":
        return this.sendMedia("sendDocument", p, "document");
      case "sendvideo":
        return this.sendMedia("sendVideo", p, "video");
      case "sendmediagroup":
        return this.sendMediaGroup(p);
      case "sendlocation":
        return this.sendLocation(p, false);
      case "sendvenue":
        return this.sendLocation(p, true);
      case "sendchataction":
        this.writableChat(p.chat_id);
        return true;
      case "editmessagetext":
        return this.editMessage("editMessageText", p);
      case "editmessagecaption":
        return this.editMessage("editMessageCaption", p);
      case "editmessagereplymarkup":
        return this.editMessage("editMessageReplyMarkup", p);
      case "deletemessage":
        return this.deleteMessage(p);
      case "deletemessages":
        return this.deleteMessages(p);
      case "copymessage":
      case "forwardmessage":
        return this.copyMessage(method, p);
      case "answercallbackquery":
        return this.answerCallbackQuery(p);
      case "getfile":
        return this.getFile(p);
      case "setmycommands":
        return this.setMyCommands(p);
      case "deletemycommands":
        this.commands.delete(commandKey(p.scope, p.language_code));
        return true;
      case "getmycommands":
        return this.commands.get(commandKey(p.scope, p.language_code)) ?? [];
      case "setwebhook":
        return this.setWebhook(p);
      case "deletewebhook":
        if (p.drop_pending_updates === true) this.dropPending();
        this.webhook = undefined;
        this.changed();
        return true;
      case "getwebhookinfo":
        return {
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
          ...(this.webhook ? { max_connections: this.webhook.maxConnections } : {}),
          ...(this.webhook?.pendingError
            ? { last_error_date: this.webhook.pendingError.date, last_error_message: this.webhook.pendingError.message }
            : {}),
          ...(this.allowedUpdates ? { allowed_updates: this.allowedUpdates } : {}),
        };
      case "getchat":
        return this.knownChat(p.chat_id).chat;
      case "getchatmember": {
        const state = this.knownChat(p.chat_id);
        const user = this.users.get(Number(p.user_id));
        if (!user) throw badRequest("user not found");
        return { status: state.chat.type === "private" && state.chat.id !== user.id ? "left" : "member", user };
      }
      default:
        if (!booleanMethods.has(method.toLowerCase())) call.unknown = true;
        return true;
    }
  }

  private sendMessage(p: Params): Message {
    const state = this.writableChat(p.chat_id);
    const formatted = parseFormattedText(p.text, p.parse_mode, p.entities);
    if (formatted.text.trim() === "") throw badRequest("message text is empty");
    if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
    validateReplyMarkup(p.reply_markup);
    return this.storeBotMessage(state, "sendMessage", p, {
      text: formatted.text,
      ...(formatted.entities.length ? { entities: formatted.entities } : {}),
    }, []).message;
  }

  private sendMedia(method: string, p: Params, field: "photo" | "document" | "video"): Message {
    const state = this.writableChat(p.chat_id);
    const caption = this.caption(p);
    validateReplyMarkup(p.reply_markup);
    const attachment = this.attachment(p[field], field);
    return this.storeBotMessage(state, method, p, { ...caption, ...this.mediaFields(field, attachment) }, [attachment]).message;
  }

  private sendMediaGroup(p: Params): Message[] {
    const state = this.writableChat(p.chat_id);
    const media = p.media;
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
      throw badRequest("wrong number of media in the album: it must have 2-10 items");
    }
    const items = media as Params[];
    const types = new Set(items.map((m) => m.type));
    if ((types.has("document") || types.has("audio")) && types.size > 1) {
      throw badRequest("documents and audio files can't be mixed with other media types in an album");
    }
    const prepared = items.map((item) => {
      const type = String(item.type);
      if (!["photo", "video", "document", "audio"].includes(type)) throw badRequest(`unsupported media type "${type}"`);
      const caption = this.caption(item);
      const attachment = this.attachment(item.media, type);
      return { caption, attachment, type };
    });
    const mediaGroupId = String(10_000_000_000_000 + Math.floor(Math.random() * 1e12));
    const stored = prepared.map(({ caption, attachment, type }) =>
      this.storeBotMessage(state, "sendMediaGroup", { ...p, reply_markup: undefined }, {
        ...caption,
        ...this.mediaFields(type, attachment),
        media_group_id: mediaGroupId,
      }, [attachment], false),
    );
    this.pushOutput(state, "sendMediaGroup", stored, false);
    return stored.map((s) => s.message);
  }

  private sendLocation(p: Params, venue: boolean): Message {
    const state = this.writableChat(p.chat_id);
    const latitude = Number(p.latitude);
    const longitude = Number(p.longitude);
    if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) throw badRequest("wrong latitude");
    if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) throw badRequest("wrong longitude");
    validateReplyMarkup(p.reply_markup);
    const location = { latitude, longitude };
    if (venue && (typeof p.title !== "string" || typeof p.address !== "string")) {
      throw badRequest("venue title and address are required");
    }
    const fields = venue ? { location, venue: { location, title: p.title, address: p.address } } : { location };
    return this.storeBotMessage(state, venue ? "sendVenue" : "sendLocation", p, fields, []).message;
  }

  private caption(p: Params): Params {
    if (p.caption === undefined) return {};
    const formatted = parseFormattedText(p.caption, p.parse_mode, p.caption_entities);
    if (formatted.text.length > MAX_CAPTION_LENGTH) throw badRequest("message caption is too long");
    return {
      caption: formatted.text,
      ...(formatted.entities.length ? { caption_entities: formatted.entities } : {}),
    };
  }

  private attachment(value: unknown, field: string): Attachment {
    const kind = field === "photo" ? "photos" : field === "video" ? "videos" : "documents";
    if (value && typeof value === "object" && "__upload" in value) {
      const part = (value as { __upload: MultipartPart }).__upload;
      const extension = /\.([A-Za-z0-9]+)$/.exec(part.filename ?? "")?.[1]?.toLowerCase();
      const file = this.addFile(part.data, { kind, ...(extension ? { extension } : {}) });
      return {
        fileId: file.file_id,
        fileUniqueId: file.file_unique_id,
        source: "upload",
        ...(part.filename !== undefined ? { fileName: part.filename } : {}),
        bytes: part.data,
      };
    }
    if (typeof value === "string" && /^https?:\/\//.test(value)) {
      const file = this.addFile(Buffer.alloc(0), { kind });
      return { fileId: file.file_id, fileUniqueId: file.file_unique_id, source: "url", url: value, bytes: file.bytes };
    }
    if (typeof value === "string" && value !== "") {
      const file = this.files.get(value);
      if (!file) throw badRequest("wrong file identifier/HTTP URL specified");
      return { fileId: file.file_id, fileUniqueId: file.file_unique_id, source: "file_id", bytes: file.bytes };
    }
    throw badRequest(`there is no ${field} in the request`);
  }

  private mediaFields(type: string, attachment: Attachment): Params {
    const size = { file_id: attachment.fileId, file_unique_id: attachment.fileUniqueId, file_size: attachment.bytes.length };
    if (type === "photo") {
      const dimensions = imageDimensionsSync(attachment.bytes);
      if (attachment.source === "upload" && !dimensions) throw badRequest("IMAGE_PROCESS_FAILED");
      return { photo: [{ ...size, width: dimensions?.width ?? 1280, height: dimensions?.height ?? 960 }] };
    }
    if (type === "video") return { video: { ...size, width: 640, height: 360, duration: 1, mime_type: "video/mp4" } };
    const fileName = attachment.fileName ?? "file";
    const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? "";
    return {
      document: {
        ...size,
        file_name: fileName,
        mime_type: mimeByExtension[extension] ?? "application/octet-stream",
      },
    };
  }

  private storeBotMessage(
    state: ChatState,
    method: string,
    p: Params,
    content: Params,
    attachments: Attachment[],
    emit = true,
  ): StoredMessage {
    const messageId = state.nextMessageId++;
    const markup = p.reply_markup as ReplyMarkup | undefined;
    const replyTo = this.replyTarget(state, p);
    const message = {
      message_id: messageId,
      from: this.botUser(),
      chat: state.chat,
      date: this.now(),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...content,
      ...(markup && "inline_keyboard" in markup ? { reply_markup: markup } : {}),
    } as unknown as Message;
    const stored: StoredMessage = { message, fromBot: true, method, attachments, edited: false, deleted: false };
    if (markup && "keyboard" in markup) {
      stored.replyKeyboard = markup;
      state.replyKeyboard = { messageId, markup };
    } else if (markup && "remove_keyboard" in markup) {
      state.replyKeyboard = undefined;
    }
    state.messages.set(messageId, stored);
    if (emit) this.pushOutput(state, method, [stored], false);
    return stored;
  }

  private replyTarget(state: ChatState, p: Params): Message | undefined {
    const parameters = p.reply_parameters as Params | undefined;
    const id = Number(parameters?.message_id ?? p.reply_to_message_id);
    if (!id) return undefined;
    const target = state.messages.get(id);
    if (target && !target.deleted) {
      const { reply_to_message: _, ...shallow } = target.message as Message & { reply_to_message?: unknown };
      return shallow as Message;
    }
    if (parameters?.allow_sending_without_reply === true || p.allow_sending_without_reply === true) return undefined;
    throw badRequest("message to be replied not found");
  }

  private pushOutput(state: ChatState, method: string, stored: StoredMessage[], edited: boolean): void {
    const first = stored[0]!;
    const message = first.message as Message & { text?: string; caption?: string };
    const markup = (first.replyKeyboard ?? (message as { reply_markup?: ReplyMarkup }).reply_markup) as ReplyMarkup | undefined;
    const location = (message as { location?: { latitude: number; longitude: number } }).location;
    state.outputs.push({
      method,
      chatId: state.chat.id,
      messageId: message.message_id,
      messageIds: stored.map((s) => s.message.message_id),
      edited,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.caption !== undefined ? { caption: message.caption } : {}),
      body: message.text ?? stored.map((s) => (s.message as { caption?: string }).caption).find((c) => c) ?? "",
      ...(markup ? { replyMarkup: markup } : {}),
      buttons: buttonLabels(markup),
      inlineKeyboard: markup && "inline_keyboard" in markup ? markup.inline_keyboard : [],
      attachments: stored.flatMap((s) => s.attachments),
      ...(location ? { location: { latitude: location.latitude, longitude: location.longitude } } : {}),
      messages: stored.map((s) => structuredClone(s.message)),
      at: Date.now(),
    });
  }

  private editMessage(method: string, p: Params): Message | true {
    if (p.inline_message_id !== undefined) throw badRequest("inline messages are not supported by the fake Bot API");
    const state = this.knownChat(p.chat_id);
    const stored = state.messages.get(Number(p.message_id));
    if (!stored || stored.deleted) throw badRequest("message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    validateReplyMarkup(p.reply_markup);
    if (p.reply_markup && !("inline_keyboard" in (p.reply_markup as object))) {
      throw badRequest("only inline keyboards can be set by editing a message");
    }
    const current = stored.message as Message & Params;
    const next: Params = { ...current };
    if (method === "editMessageText") {
      if (current.text === undefined) throw badRequest("there is no text in the message to edit");
      const formatted = parseFormattedText(p.text, p.parse_mode, p.entities);
      if (formatted.text.trim() === "") throw badRequest("message text is empty");
      if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
      next.text = formatted.text;
      next.entities = formatted.entities.length ? formatted.entities : undefined;
    } else if (method === "editMessageCaption") {
      if (current.text !== undefined) throw badRequest("there is no caption in the message to edit");
      const caption = this.caption({ ...p, caption: p.caption ?? "" });
      next.caption = caption.caption || undefined;
      next.caption_entities = caption.caption_entities;
    }
    // Telegram removes the inline keyboard when an edit does not repeat it.
    next.reply_markup = p.reply_markup;
    const comparable = (m: Params) => JSON.stringify([m.text, m.entities ?? [], m.caption, m.caption_entities ?? [], m.reply_markup]);
    if (comparable(next) === comparable(current)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    next.edit_date = this.now();
    stored.message = next as unknown as Message;
    stored.edited = true;
    this.pushOutput(state, method, [stored], true);
    return stored.message;
  }

  private deleteMessage(p: Params): true {
    const state = this.knownChat(p.chat_id);
    const stored = state.messages.get(Number(p.message_id));
    if (!stored || stored.deleted) throw badRequest("message to delete not found");
    if (!this.deletable(stored)) throw badRequest("message can't be deleted");
    stored.deleted = true;
    return true;
  }

  private deleteMessages(p: Params): true {
    const state = this.knownChat(p.chat_id);
    const ids = p.message_ids;
    if (!Array.isArray(ids) || ids.length === 0) throw badRequest("message identifiers are not specified");
    if (ids.length > 100) throw badRequest("too many message identifiers specified");
    // Telegram skips what it cannot find or may not delete.
    for (const id of ids) {
      const stored = state.messages.get(Number(id));
      if (stored && !stored.deleted && this.deletable(stored)) stored.deleted = true;
    }
    return true;
  }

  private deletable(stored: StoredMessage): boolean {
    return this.now() - stored.message.date < DELETE_WINDOW_SECONDS;
  }

  private copyMessage(method: string, p: Params): Message | { message_id: number } {
    const target = this.writableChat(p.chat_id);
    const source = this.knownChat(p.from_chat_id).messages.get(Number(p.message_id));
    if (!source || source.deleted) throw badRequest("message to copy not found");
    const { message_id: _id, from: _from, chat: _chat, date: _date, reply_markup: _markup, edit_date: _edit, reply_to_message: _reply, ...content } =
      source.message as Message & Params;
    const isCopy = method.toLowerCase() === "copymessage";
    if (isCopy && p.caption !== undefined) Object.assign(content, this.caption(p));
    if (!isCopy) {
      const from = source.message.from;
      Object.assign(content, {
        forward_origin: from
          ? { type: "user", sender_user: from, date: source.message.date }
          : { type: "hidden_user", sender_user_name: "unknown", date: source.message.date },
      });
    }
    validateReplyMarkup(p.reply_markup);
    const stored = this.storeBotMessage(target, isCopy ? "copyMessage" : "forwardMessage", p, content, source.attachments);
    return isCopy ? { message_id: stored.message.message_id } : stored.message;
  }

  private answerCallbackQuery(p: Params): true {
    const id = String(p.callback_query_id ?? "");
    if (!this.pendingCallbackQueries.has(id)) {
      throw badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    if (typeof p.text === "string" && p.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
    this.pendingCallbackQueries.delete(id);
    this.callbackAnswers.set(id, {
      ...(typeof p.text === "string" ? { text: p.text } : {}),
      ...(p.show_alert === true ? { show_alert: true } : {}),
      ...(typeof p.url === "string" ? { url: p.url } : {}),
      at: Date.now(),
    });
    return true;
  }

  private getFile(p: Params): Omit<StoredFile, "bytes" | "downloads"> {
    const file = this.files.get(String(p.file_id ?? ""));
    if (!file) throw badRequest("invalid file_id");
    if (file.file_size > this.options.maxDownloadBytes) throw badRequest("file is too big");
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
  }

  private setMyCommands(p: Params): true {
    const commands = p.commands;
    if (!Array.isArray(commands) || commands.length > 100) throw badRequest("commands must be a list of at most 100");
    for (const entry of commands as Params[]) {
      if (typeof entry.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(entry.command)) {
        throw badRequest("BOT_COMMAND_INVALID");
      }
      if (typeof entry.description !== "string" || entry.description.length < 1 || entry.description.length > 256) {
        throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    this.commands.set(commandKey(p.scope, p.language_code), commands as BotCommand[]);
    return true;
  }

  private setWebhook(p: Params): true {
    const url = String(p.url ?? "");
    if (url === "") {
      this.webhook = undefined;
      return true;
    }
    if (!/^https?:\/\//.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const secret = p.secret_token;
    if (secret !== undefined && (typeof secret !== "string" || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
      throw badRequest("bad webhook: secret token contains unallowed characters");
    }
    if (p.drop_pending_updates === true) this.dropPending();
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates as string[];
    for (const waiter of [...this.pollWaiters]) {
      waiter.fail(new BotApiError(409, "Conflict: terminated by setWebhook request"));
    }
    this.webhook = {
      url,
      ...(typeof secret === "string" ? { secret } : {}),
      maxConnections: typeof p.max_connections === "number" ? p.max_connections : 40,
    };
    queueMicrotask(() => this.pumpWebhook());
    return true;
  }

  private dropPending(): void {
    for (const entry of this.queue.splice(0)) {
      const status = this.status(entry.update.update_id);
      status.confirmed = status.handled = status.queued;
    }
  }

  // ------------------------------------------------------------ helpers

  private botUser(): User {
    return { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username };
  }

  private delivered(updateId: number): void {
    const status = this.status(updateId);
    status.returned++;
    status.deliveredAt ??= Date.now();
  }

  private status(updateId: number): UpdateStatus {
    let status = this.statuses.get(updateId);
    if (!status) {
      status = { queued: 0, returned: 0, confirmed: 0, handled: 0, queuedAt: Date.now() };
      this.statuses.set(updateId, status);
    }
    return status;
  }

  private changed(): void {
    this.flushPolls();
    if (this.webhook) this.pumpWebhook();
    this.events.emit("change");
  }

  private chatState(chat: Chat): ChatState {
    let state = this.chats.get(chat.id);
    if (!state) {
      state = {
        chat,
        nextMessageId: 1,
        messages: new Map(),
        outputs: [],
        started: false,
        botBlocked: false,
        botRemoved: false,
      };
      this.chats.set(chat.id, state);
    }
    return state;
  }

  private requireChat(chatId: number): ChatState {
    const state = this.chats.get(chatId);
    if (!state) throw new Error(`chat ${chatId} is not known to the fake Bot API`);
    return state;
  }

  private knownChat(value: unknown): ChatState {
    const id = Number(value);
    const state = this.chats.get(id);
    if (state) return state;
    if (!this.options.strictChats && Number.isSafeInteger(id) && id !== 0) {
      const chat: Chat = id > 0 ? { id, type: "private", first_name: `User ${id}` } : { id, type: "supergroup", title: `Chat ${id}` };
      const created = this.chatState(chat);
      created.started = true;
      return created;
    }
    throw badRequest("chat not found");
  }

  private writableChat(value: unknown): ChatState {
    const state = this.knownChat(value);
    if (state.chat.type === "private") {
      if (state.botBlocked) throw new BotApiError(403, "Forbidden: bot was blocked by the user");
      if (!state.started && this.options.strictChats) {
        throw new BotApiError(403, "Forbidden: bot can't initiate conversation with a user");
      }
    } else if (state.botRemoved) {
      throw new BotApiError(403, `Forbidden: bot was kicked from the ${state.chat.type} chat`);
    }
    return state;
  }

  /** Records what a person sends: their chat, their message in the chat's history, their callback query. */
  private absorbIncoming(update: Update): void {
    const u = update as Update & Record<string, unknown>;
    for (const key of ["message", "edited_message"] as const) {
      const message = u[key] as (Message & Params) | undefined;
      if (!message) continue;
      const state = this.chatState(message.chat);
      if (message.from) this.users.set(message.from.id, message.from);
      if (state.chat.type === "private") state.started = true;
      if (key === "message") {
        if (message.message_id === undefined) message.message_id = state.nextMessageId++;
        else state.nextMessageId = Math.max(state.nextMessageId, message.message_id + 1);
        if (message.date === undefined) message.date = this.now();
        state.messages.set(message.message_id, {
          message,
          fromBot: false,
          attachments: [],
          edited: false,
          deleted: false,
        });
      } else {
        if (message.edit_date === undefined) message.edit_date = this.now();
        const stored = state.messages.get(message.message_id);
        if (stored && !stored.fromBot) stored.message = message;
      }
    }
    const query = update.callback_query;
    if (query) {
      this.users.set(query.from.id, query.from);
      this.pendingCallbackQueries.add(query.id);
    }
  }

  /** A fresh callback query id, in Telegram's format (a long decimal). */
  allocateCallbackQueryId(): string {
    return `${4_300_000_000_000_000_000n + BigInt(this.nextCallbackId++)}`;
  }

  /** Messages the bot sent in a chat, newest first, as they are now (for finding the buttons to press). */
  botMessagesNewestFirst(chatId: number): { message: Message; replyKeyboard?: ReplyKeyboardMarkup }[] {
    const state = this.chats.get(chatId);
    if (!state) return [];
    return [...state.messages.values()]
      .filter((m) => m.fromBot && !m.deleted)
      .reverse()
      .map((m) => ({
        message: m.message,
        ...(m.replyKeyboard && state.replyKeyboard?.messageId === m.message.message_id ? { replyKeyboard: m.replyKeyboard } : {}),
      }));
  }
}

// ---------------------------------------------------------------- module helpers

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(error: BotApiError): Record<string, unknown> {
  return {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  };
}

function failureError(failure: { status: number; retryAfter?: number; description?: string }): BotApiError {
  if (failure.status === 429) {
    const retryAfter = failure.retryAfter ?? 1;
    return new BotApiError(429, failure.description ?? `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
  const standard: Record<number, string> = {
    400: "Bad Request",
    403: "Forbidden",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  return new BotApiError(failure.status, failure.description ?? standard[failure.status] ?? "Error");
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BotApiError(413, "Request Entity Too Large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Multipart and query fields arrive as strings; Telegram reads JSON objects, numbers and booleans out of them. */
function coerceFields(fields: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== "string") {
      out[key] = value;
      continue;
    }
    const trimmed = value.trim();
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && key !== "text" && key !== "caption") {
      try {
        out[key] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: keep the string, as Telegram does for text-like fields.
      }
    }
    if (numericFields.has(key) && /^-?\d+(\.\d+)?$/.test(trimmed)) out[key] = Number(trimmed);
    else if (booleanFields.has(key) && (trimmed === "true" || trimmed === "false")) out[key] = trimmed === "true";
    else out[key] = value;
  }
  return out;
}

/** Params as recorded: uploaded parts become `{ upload: { fileName, size, bytes } }`. */
function describeParams(params: Params): Params {
  const describe = (value: unknown): unknown => {
    if (value && typeof value === "object" && "__upload" in value) {
      const part = (value as { __upload: MultipartPart }).__upload;
      return { upload: { fileName: part.filename, size: part.data.length, bytes: part.data } };
    }
    if (Array.isArray(value)) return value.map(describe);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
    return value;
  };
  return describe(params) as Params;
}

function commandKey(scope: unknown, languageCode: unknown): string {
  return `${JSON.stringify(scope ?? { type: "default" })}|${typeof languageCode === "string" ? languageCode : ""}`;
}

function buttonLabels(markup: ReplyMarkup | undefined): string[] {
  if (!markup) return [];
  if ("inline_keyboard" in markup) return markup.inline_keyboard.flat().map((b) => b.text);
  if ("keyboard" in markup) return markup.keyboard.flat().map((b) => (typeof b === "string" ? b : b.text));
  return [];
}

function toBotMessage(chatId: number, stored: StoredMessage): BotMessage {
  const message = stored.message as Message & { text?: string; caption?: string; reply_markup?: ReplyMarkup };
  const markup = stored.replyKeyboard ?? message.reply_markup;
  return {
    chatId,
    messageId: message.message_id,
    method: stored.method ?? "",
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
    ...(markup ? { replyMarkup: markup } : {}),
    buttons: buttonLabels(markup),
    attachments: stored.attachments,
    edited: stored.edited,
    deleted: stored.deleted,
    message,
  };
}

function updateChatId(update: Update): number | undefined {
  const u = update as Update & Record<string, { chat?: Chat; message?: { chat?: Chat }; from?: User } | undefined>;
  for (const value of Object.values(u)) {
    if (value && typeof value === "object") {
      if (value.chat) return value.chat.id;
      if (value.message?.chat) return value.message.chat.id;
      if (value.from) return value.from.id;
    }
  }
  return undefined;
}

/** Width and height from the header of a JPEG, PNG, GIF or WebP, without decoding (Telegram refuses non-images). */
function imageDimensionsSync(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString("latin1", 0, 3) === "GIF") {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 30 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") {
    const chunk = bytes.toString("latin1", 12, 16);
    if (chunk === "VP8X") return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
    if (chunk === "VP8 ") return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
    if (chunk === "VP8L") {
      const bits = bytes.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1]!;
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        offset += 2;
        continue;
      }
      const length = bytes.readUInt16BE(offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
      }
      offset += 2 + length;
    }
  }
  return undefined;
}

