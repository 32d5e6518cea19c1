import type { ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context, SessionFlavor } from "grammy";
import type { Config } from "../config.js";
import type { Db } from "../db/connect.js";
import type { Locale } from "../db/types.js";
import type { Logger } from "../logger.js";
import type { Sanitizer } from "../media/sanitize.js";
import type { Keys } from "../privacy/keys.js";
import type { Pseudonymize } from "../privacy/pseudonym.js";
import type { SealedState } from "../privacy/sealed-state.js";
import type { Metrics } from "../server/metrics.js";

/** Everything a handler may use, passed in rather than imported, so tests can build bots with other settings. */
export interface AppServices {
  config: Config;
  db: Db;
  logger: Logger;
  keys: Keys;
  pseudonymize: Pseudonymize;
  /** One per process: its queue bounds how many pictures are decoded at once, whoever sent them. */
  sanitizer: Sanitizer;
  /** Counters served on /metrics; features count what they do (`metrics.caseSubmitted()`). */
  metrics: Metrics;
  /**
   * Called once a case is committed: queues its card for the moderators and returns at once. Unset when no
   * bot is running to post it (tools, some tests).
   */
  notifyCaseSubmitted?: (caseId: string) => Promise<void>;
}

export interface SessionData {
  locale?: Locale;
  /**
   * `[updateId, unixSeconds]` of the chat's latest handled updates, written with the session in one row, so an
   * update delivered again (after a crash, a timeout, to another process) is recognised and skipped.
   */
  recentUpdates?: [number, number][];
  /** State of the active conversations of this chat (@grammyjs/conversations), sealed under DATA_KEY. */
  conversations?: SealedState;
  /**
   * Message-id watermarks `[messageId, unixSeconds]` of this private chat, at most one an hour. Ids in a
   * private chat rise by one for every message of either side, so /wipe can delete the whole range
   * since the oldest watermark still inside Telegram's 48-hour window without storing any message.
   */
  wipeMarks?: [number, number][];
  /** Draft tags of the reports this chat was told were sent (with their reference); see intake/confirmations.ts. */
  confirmedReports?: string[];
}

interface ServicesFlavor {
  app: AppServices;
  /** Pseudonym of the sender, for logs and lookups; never the Telegram id. */
  pseudonym: string | undefined;
  locale: Locale;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor & ServicesFlavor>;
/** The context inside conversations: no session, translations through the locale passed in. */
export type ConversationContext = Context & ServicesFlavor;
