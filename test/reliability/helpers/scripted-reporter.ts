import sharp from "sharp";
import { createI18n } from "../../../src/bot/i18n.js";
import type { Locale } from "../../../src/db/types.js";
import type { Update } from "grammy/types";
import type { FakeBotApi, Reply } from "../../harness/fake-bot-api.js";
import { describeReply, TelegramUser } from "../../harness/telegram-user.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const i18n = createI18n("uk");
const NUMBER = "\u0001";
const ANYTHING = "\u0002";
const STOP = "\u0003";
type Placeable = "number" | "any" | "stop" | number;
const markers: Record<Placeable, string> = { number: NUMBER, any: ANYTHING, stop: STOP };

/**
 * A regular expression for a translated message: numeric placeables captured, others matched loosely, and the
 * text cut at a `stop` placeable (one that selects a plural form, which a marker cannot stand for).
 */
function messagePattern(locale: Locale, key: string, vars: Record<string, Placeable> = {}): RegExp {
  const marked = i18n.t(
    locale,
    key,
    Object.fromEntries(Object.entries(vars).map(([name, kind]) => [name, typeof kind === "number" ? kind : markers[kind]])),
  );
  const cut = marked.includes(STOP) ? marked.slice(0, marked.indexOf(STOP)) : marked;
  const escaped = cut.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(escaped.replaceAll(NUMBER, "(\\d+)").replaceAll(ANYTHING, "[\\s\\S]*?"));
}

export interface ReporterScript {
  locale: Locale;
  /** Told apart in the database by these: the item description and the account of events. */
  description: string;
  narrative: string;
  address: string;
  photos: Buffer[];
}

export interface ReporterOutcome {
  ref: string;
  /** file_unique_id of every photo the bot said it had received and cleaned. */
  acknowledgedPhotos: string[];
  /** Answers sent again because the bot said nothing for `resendAfterMs`. */
  resends: number;
  /** "Please wait, the database is not answering" notices received. */
  outageNotices: number;
  /** Apologies received ("something went wrong"). */
  apologies: number;
  transcript: string[];
}

export interface ScriptedReporterOptions {
  /** Silence after which the last answer is sent again, as a person would when the bot seems gone. */
  resendAfterMs: number;
  /** The whole report must be done by then. */
  timeoutMs: number;
  /** Sends all photos at once as an album (several updates of one chat in flight together). */
  album?: boolean;
  /** Called with every update this person sends (a test may have Telegram deliver it twice). */
  onSent?: (user: TelegramUser) => void;
}

type Action = () => Promise<unknown>;

/**
 * A person who files one report by answering whatever question the bot shows last, the way a person reads the
 * chat: not a fixed sequence, so a question asked again (after a restart, a lost reply, an error) is simply
 * answered again. Used by the fault tests, where the bot is killed, the database cut, or the Bot API fails.
 */
export class ScriptedReporter {
  readonly user: TelegramUser;
  private readonly patterns: ReturnType<typeof buildPatterns>;
  private readonly sentPhotos: string[] = [];
  private acknowledged = 0;
  private lastAction: Action | undefined;
  private outcome: Omit<ReporterOutcome, "ref"> = { acknowledgedPhotos: [], resends: 0, outageNotices: 0, apologies: 0, transcript: [] };

  constructor(
    readonly api: FakeBotApi,
    readonly script: ReporterScript,
  ) {
    this.user = new TelegramUser(api, { languageCode: script.locale });
    this.patterns = buildPatterns(script.locale);
  }

  private t(key: string, vars?: Record<string, string | number>): string {
    return i18n.t(this.script.locale, key, vars);
  }

  private options: ScriptedReporterOptions | undefined;

  private async act(action: Action): Promise<void> {
    this.lastAction = action;
    await action();
    this.options?.onSent?.(this.user);
  }

  async run(options: ScriptedReporterOptions): Promise<ReporterOutcome> {
    this.options = options;
    const deadline = Date.now() + options.timeoutMs;
    await this.act(() => this.user.says("/new"));
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`reporter ${this.user.id} did not finish in time. Transcript:\n${this.outcome.transcript.join("\n")}`);
      let reply: Reply;
      try {
        reply = await this.user.nextReply({ timeoutMs: Math.min(options.resendAfterMs, remaining) });
      } catch {
        if (Date.now() >= deadline) continue;
        this.outcome.resends++;
        this.outcome.transcript.push("(silence: sending the last answer again)");
        await this.lastAction?.();
        continue;
      }
      this.outcome.transcript.push(describeReply(reply));
      const ref = await this.answer(reply);
      if (ref) {
        this.outcome.acknowledgedPhotos = this.sentPhotos.slice(0, this.acknowledged);
        return { ref, ...this.outcome };
      }
    }
  }

  /** Answers one reply; returns the case reference once the report is sent. */
  private async answer(reply: Reply): Promise<string | undefined> {
    const p = this.patterns;
    const body = reply.body;
    const submitted = p.submitted.exec(body) ?? p.alreadySubmitted.exec(body);
    if (submitted) return /SV-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(body)?.[0];
    const received = [p.photoReceived, ...p.albumReceived].map((pattern) => pattern.exec(body)).find(Boolean);
    if (received) {
      // An album is acknowledged by one message edited as its photos arrive: act once the count has grown.
      const total = Number(received[1]);
      if (total > this.acknowledged) {
        this.acknowledged = total;
        await this.nextPhotoOrDone();
      }
      return undefined;
    }
    if (reply.edited) return undefined;
    if (p.outage.test(body)) {
      this.outcome.outageNotices++;
      return undefined;
    }
    if (p.apology.test(body)) {
      this.outcome.apologies++;
      await this.lastAction?.();
      return undefined;
    }
    const tap = (key: string) => this.press(this.t(key));
    if (p.consent.test(body)) await tap("intake-consent-agree");
    else if (p.role.test(body)) await tap("intake-role-victim");
    else if (p.location.test(body)) await this.act(() => this.user.says(this.script.address));
    else if (p.region.test(body)) await tap("intake-region-kyivska");
    else if (p.date.test(body)) await tap("intake-date-unknown");
    else if (p.category.test(body)) await tap("intake-category-electronics");
    else if (p.description.test(body)) await this.act(() => this.user.says(this.script.description));
    else if (p.quantity.test(body)) await this.press("1");
    else if (p.value.test(body) || p.identifier.test(body) || p.perpetrators.test(body)) await tap("intake-button-skip");
    else if (p.more.test(body)) await tap("intake-item-more-done");
    else if (p.photos.test(body) || p.photosMore.test(body)) await this.nextPhotoOrDone();
    else if (p.narrative.test(body)) await this.act(() => this.user.says(this.script.narrative));
    else if (p.contact.test(body)) await tap("intake-contact-no");
    else if (p.review.test(body)) await tap("intake-review-submit");
    return undefined;
  }

  /**
   * Presses a button. Pressed again after a silence, it is the same button of the same message, as a person taps
   * the button still on the screen, never one of a newer message that happens to carry the same label.
   */
  private async press(label: string): Promise<void> {
    const update = await this.user.taps(label);
    const query = update.callback_query;
    this.lastAction =
      query?.data !== undefined && query.message
        ? () => this.user.tapsData(query.data!, { messageId: query.message!.message_id })
        : () => this.user.taps(label);
    this.options?.onSent?.(this.user);
  }

  private async nextPhotoOrDone(): Promise<void> {
    const next = this.script.photos[this.sentPhotos.length];
    if (!next || this.acknowledged < this.sentPhotos.length) {
      if (this.acknowledged >= this.script.photos.length) await this.press(this.t("intake-photos-done"));
      return;
    }
    const largest = (update: Update) => {
      const sizes = update.message?.photo ?? [];
      return { sizes, uniqueId: sizes[sizes.length - 1]!.file_unique_id };
    };
    if (this.options?.album) {
      const updates = await this.user.sendsAlbum(this.script.photos);
      const photos = updates.map(largest);
      this.sentPhotos.push(...photos.map((p) => p.uniqueId));
      this.lastAction = async () => {
        for (const photo of photos) await this.user.sends({ photo: photo.sizes });
      };
    } else {
      // Sent again after a silence, the same picture keeps its file_unique_id, as Telegram keeps it for a resent file.
      const photo = largest(await this.user.sendsPhoto(next));
      this.sentPhotos.push(photo.uniqueId);
      this.lastAction = () => this.user.sends({ photo: photo.sizes });
    }
    this.options?.onSent?.(this.user);
  }
}

function buildPatterns(locale: Locale) {
  const m = (key: string, vars?: Record<string, Placeable>) => messagePattern(locale, key, vars);
  return {
    submitted: m("intake-submitted", { ref: "any" }),
    alreadySubmitted: m("intake-already-submitted", { ref: "any" }),
    photoReceived: m("intake-photos-received", { total: "number", max: "number" }),
    // One pattern per count received: the word for "photo" follows the count's plural form.
    albumReceived: Array.from({ length: 20 }, (_, i) => m("intake-photos-received-album", { received: i + 1, total: "number", max: "number" })),
    outage: m("reliability-database-unavailable"),
    apology: m("error-generic"),
    consent: m("intake-consent-question", { version: "any" }),
    role: m("intake-role-question"),
    location: m("intake-location-question"),
    region: m("intake-region-question"),
    date: m("intake-date-question"),
    category: m("intake-item-category-question", { number: "any" }),
    description: m("intake-item-description-question", { number: "any", category: "any" }),
    quantity: m("intake-item-quantity-question"),
    value: m("intake-item-value-question"),
    identifier: m("intake-item-identifier-question"),
    more: m("intake-item-more-question", { last: "any", count: "stop" }),
    perpetrators: m("intake-perpetrators-question"),
    photos: m("intake-photos-question", { max: "any" }),
    photosMore: m("intake-photos-question-more", { count: "any", max: "any" }),
    // Fluent writes numbers with thousands separators ("4,000"): only counts below a thousand are captured.
    narrative: m("intake-narrative-question", { max: "any" }),
    contact: m("intake-contact-question"),
    review: m("intake-review-question"),
  };
}

/** Small distinct pictures (noise, so no two share a hash or a perceptual hash), quick to sanitize. */
export async function noisePhotos(count: number, seed: number): Promise<Buffer[]> {
  const photos: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const random = seededRandom(seed * 1000 + i);
    const raw = Buffer.alloc(96 * 72 * 3);
    for (let j = 0; j < raw.length; j++) raw[j] = Math.floor(random() * 256);
    photos.push(await sharp(raw, { raw: { width: 96, height: 72, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
  }
  return photos;
}

