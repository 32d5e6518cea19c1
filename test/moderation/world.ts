import type { Chat } from "grammy/types";
import sharp from "sharp";
import type { ModerationDeps } from "../../src/cases/moderation.js";
import type { Case } from "../../src/db/types.js";
import { telegramLimits } from "../../src/bot/api-transformers.js";
import { createLogger } from "../../src/logger.js";
import { type BotMessage, FakeBotApi } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { addStaff, type FixtureCase, insertCase, insertReporterAs } from "./fixtures.js";

/**
 * The bot running against the fake Bot API with a moderators' group, an admin (from ADMIN_IDS), two
 * moderators, and cases written as intake's submit writes them, then announced through notifyCaseSubmitted.
 */
export interface ModerationWorld {
  svidok: RunningSvidok;
  api: FakeBotApi;
  group: Chat.GroupChat | Chat.SupergroupChat;
  admin: TelegramUser;
  olena: TelegramUser;
  taras: TelegramUser;
  logs: Record<string, unknown>[];
  deps: ModerationDeps;
  /** A reporter who wrote to the bot, so the bot may write back; `contact` seals their chat for moderators' questions. */
  reporter(options?: { contact?: boolean; locale?: "uk" | "en" }): Promise<{ user: TelegramUser; id: string; contact: boolean }>;
  /** Writes a submitted case and lets the bot post its card; resolves once the card and its photos are out. */
  submit(fixture?: FixtureCase & { reporter?: { id: string; contact: boolean } }): Promise<Case>;
  card(caseId: string): Promise<BotMessage>;
  stop(): Promise<void>;
}

export async function startModerationWorld(options: { group?: "configured" | "unset" | "bot-removed" } = {}): Promise<ModerationWorld> {
  const api = await FakeBotApi.start();
  const group = api.createGroup("Svidok moderators");
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("debug", { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const adminId = api.allocateUserId();
  const mode = options.group ?? "configured";
  if (mode === "bot-removed") api.removeBotFromChat(group.id);
  const svidok = await startSvidok({
    api,
    logger,
    // Cards, pins, albums and edits of many cases would wait for Telegram's 20-a-minute group limit.
    apiLimits: { ...telegramLimits, group: { maxConcurrent: 1 } },
    env: {
      ADMIN_IDS: String(adminId),
      DEFAULT_LOCALE: "en",
      ...(mode !== "unset" ? { MODERATION_CHAT_ID: String(group.id) } : {}),
    },
  });
  const admin = svidok.user({ id: adminId, firstName: "Iryna", languageCode: "en" });
  const olena = svidok.user({ firstName: "Olena", languageCode: "en" });
  const taras = svidok.user({ firstName: "Taras", languageCode: "en" });
  await addStaff(svidok.db, olena.id, "moderator", "Olena");
  await addStaff(svidok.db, taras.id, "moderator", "Taras");
  const services = svidok.app.services;
  const deps = { db: svidok.db, takeTimeoutHours: svidok.config.takeTimeoutHours };

  return {
    svidok,
    api,
    group,
    admin,
    olena,
    taras,
    logs,
    deps,
    async reporter(opts = {}) {
      const user = svidok.user({ languageCode: opts.locale ?? "uk" });
      await user.says("/start");
      await user.nextReply();
      await user.settled();
      const contact = opts.contact ?? true;
      const row = await insertReporterAs(svidok.db, services.keys, services.pseudonymize(user.id), user.id, {
        locale: opts.locale ?? "uk",
        contact,
      });
      return { user, id: row.id, contact };
    },
    async submit(fixture = {}) {
      const row = await insertCase(svidok.db, {
        ...fixture,
        ...(fixture.reporter ? { reporterId: fixture.reporter.id, contactAllowed: fixture.reporter.contact } : {}),
      });
      await services.notifyCaseSubmitted?.(row.id);
      await svidok.app.bot.moderation.idle();
      return row;
    },
    async card(caseId) {
      const row = await svidok.db
        .selectFrom("moderation_cards")
        .select(["chat_id", "message_id"])
        .where("case_id", "=", caseId)
        .executeTakeFirstOrThrow();
      const message = api.sentTo(row.chat_id).find((m) => m.messageId === row.message_id);
      if (!message) throw new Error(`no card message ${row.message_id} in chat ${row.chat_id}`);
      return message;
    },
    async stop() {
      await svidok.stop();
      await api.stop();
    },
  };
}

/** Small, distinct JPEGs: real pictures, so the album carries real bytes. */
export async function jpegs(count: number): Promise<Buffer[]> {
  const images: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    images.push(
      await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: 200 } } })
        .jpeg()
        .toBuffer(),
    );
  }
  return images;
}
