import { type ConversationData, conversations, type VersionedState } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type Context, type Middleware, session, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { createBotStorage } from "../db/bot-storage.js";
import { sealedStateAdapter } from "../privacy/sealed-state.js";
import { createApiTransformers } from "./api-transformers.js";
import type { AppServices, BotContext, ConversationContext, SessionData } from "./context.js";
import { createErrorHandler } from "./error-handler.js";
import { adminFeature } from "./features/admin/index.js";
import { basicsFeature } from "./features/basics/index.js";
import { erasureFeature } from "./features/erasure/index.js";
import { exportFeature } from "./features/export/index.js";
import { intakeConversations, intakeFeature, intakeGuard } from "./features/intake/index.js";
import { reporterFeature } from "./features/reporter/index.js";
import { createModerationDesk, type ModerationDesk } from "./features/moderation/desk.js";
import { moderationFeature } from "./features/moderation/index.js";
import { unhandledFeature } from "./features/unhandled/index.js";
import { createI18n } from "./i18n.js";
import { type ChatLock, chatLockMiddleware, singleProcessChatLock } from "./middleware/chat-lock.js";
import { chooseLocale } from "./middleware/locale.js";
import { rateLimitPerUser, refuseOversizedUpdates } from "./middleware/rate-limit.js";
import { skipRedeliveredUpdates } from "./middleware/redelivered-updates.js";
import { provideServices } from "./middleware/services.js";
import { recordWipeMarks } from "./middleware/wipe-marks.js";

export interface CreateBotOptions {
  /** Skips getMe at start-up (tests, and a restart that already knows the bot). */
  botInfo?: UserFromGetMe;
  /** Middleware placed inside the error boundary before the features, e.g. a test's fault injection. */
  extraMiddleware?: Middleware<BotContext>[];
  /** Orders a chat's updates across processes; without it, within this process only (the embedded database). */
  chatLock?: ChatLock;
  /** Outgoing message limits; Telegram's by default. Tests lift the 20-a-minute group limit to stay fast. */
  apiLimits?: Parameters<typeof createApiTransformers>[0];
}

/** Per chat, and per user outside chats: updates sharing this key are handled one at a time. */
export function chatKey(ctx: Context): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

/** The bot, and the desk that posts and updates the moderators' case cards outside any update. */
export type SvidokBot = Bot<BotContext> & { moderation: ModerationDesk };

export function createBot(services: AppServices, options: CreateBotOptions = {}): SvidokBot {
  const { config, db, logger } = services;
  const bot = new Bot<BotContext>(config.botToken, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(config.botApiRoot ? { apiRoot: config.botApiRoot } : {}) },
  });
  const transformers = createApiTransformers(options.apiLimits);
  for (const transformer of transformers) bot.api.config.use(transformer);

  const i18n = createI18n(config.defaultLocale);
  const hashKey = (key: string) => services.pseudonymize(key);

  bot.use(sequentialize(chatKey));
  bot.use(provideServices(services));
  // Refusals before the lock and the session, so a flood costs no database work.
  bot.use(refuseOversizedUpdates(i18n), rateLimitPerUser(i18n));
  bot.use(chatLockMiddleware(options.chatLock ?? singleProcessChatLock, chatKey));
  const protectedBot = bot.errorBoundary(createErrorHandler(i18n, logger, { rethrowTransient: true }));
  protectedBot.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      getSessionKey: chatKey,
      storage: createBotStorage<SessionData>(db, { namespace: "session", hashKey }),
    }),
  );
  protectedBot.use(skipRedeliveredUpdates);
  protectedBot.use(chooseLocale, i18n, recordWipeMarks);
  protectedBot.use(
    conversations<BotContext, ConversationContext>({
      // Kept inside the session row: one read and at most one write per update instead of two of each.
      // Sealed: the replay log holds whole updates, with the person's id, name and words. The session may
      // have been deleted by the handler (erasure), so every access allows for its absence.
      storage: {
        type: "context",
        version: 1,
        adapter: sealedStateAdapter<BotContext, VersionedState<ConversationData>>(services.keys, {
          get: (ctx) => ctx.session?.conversations,
          set: (ctx, sealed) => {
            if (ctx.session) ctx.session.conversations = sealed;
          },
          remove: (ctx) => {
            if (ctx.session) delete ctx.session.conversations;
          },
        }),
      },
      plugins: [provideServices(services), installTransformers(transformers)],
    }),
  );
  for (const middleware of options.extraMiddleware ?? []) protectedBot.use(middleware);
  // /cancel before the questions' conversations, so it is never taken for an answer; /new and the dispatcher
  // that asks the next question after them.
  protectedBot.use(intakeGuard());
  // Erasure works in the middle of a report and before a pending moderator's question could take its words.
  protectedBot.use(erasureFeature());
  // Staff commands, buttons and reporters' answers to moderators' questions: before the questions of a report,
  // so an answer is not taken for a report. Anyone not authorised falls through, down to unhandledFeature.
  const moderation = createModerationDesk(bot.api, services, i18n);
  protectedBot.use(moderationFeature(moderation, i18n));
  protectedBot.use(adminFeature());
  protectedBot.use(exportFeature());
  protectedBot.use(intakeConversations(i18n));
  protectedBot.use(reporterFeature());
  protectedBot.use(intakeFeature());
  protectedBot.use(basicsFeature(i18n));
  protectedBot.use(unhandledFeature);

  bot.catch(createErrorHandler(i18n, logger));
  return Object.assign(bot, { moderation });
}

/**
 * Calls made inside a conversation go through an Api object of its own, which does not see bot.api's transformers.
 * They are put beneath the conversation's own transformer, which answers a replayed call from its log: installed
 * on top of it, the throttler would hold every replayed call for its one-second slot again, and each step of a
 * conversation would get slower with every message it had sent.
 */
function installTransformers(transformers: Transformer[]): Middleware<ConversationContext> {
  return (ctx, next) => {
    const replaying = ctx.api.config.installedTransformers();
    const api = new Api(ctx.api.token, ctx.api.options);
    api.config.use(...transformers, ...replaying);
    Object.defineProperty(ctx, "api", { value: api, enumerable: true });
    return next();
  };
}
