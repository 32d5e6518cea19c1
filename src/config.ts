import path from "node:path";
import dotenv from "dotenv";
import { z } from "zod";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const emptyAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const positiveInt = (name: string, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `${name} must be a whole number` })
      .int(`${name} must be a whole number`)
      .positive(`${name} must be greater than 0`)
      .default(fallback),
  );

const telegramId = z
  .string()
  .trim()
  .regex(/^-?\d{1,20}$/, "must be a Telegram numeric id")
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n !== 0, "must be a Telegram numeric id");

const key = z
  .string()
  .trim()
  .refine((v) => decodeKey(v)?.length === 32, "must be 32 bytes as 64 hex characters or base64");

export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return Buffer.from(value, "base64");
  return undefined;
}

const schema = z
  .object({
    BOT_TOKEN: z.preprocess(
      emptyAsUndefined,
      z
        .string({ error: "is required: get one from @BotFather" })
        .trim()
        .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, "does not look like a bot token (digits, a colon, then letters)"),
    ),
    DATABASE_URL: optional(
      z
        .string()
        .trim()
        .refine((v) => {
          try {
            const url = new URL(v);
            return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
          } catch {
            return false;
          }
        }, "must be a postgres:// or postgresql:// URL with a host"),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
    BOT_API_ROOT: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
    ADMIN_IDS: z.preprocess(
      (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []),
      z.array(telegramId.refine((n) => n > 0, "must be positive user ids")),
    ),
    MODERATION_CHAT_ID: optional(telegramId),
    DEFAULT_LOCALE: z.preprocess(emptyAsUndefined, z.enum(["uk", "en"], { error: "must be uk or en" }).default("uk")),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }).default("info"),
    ),
    MAX_PHOTO_BYTES: positiveInt("MAX_PHOTO_BYTES", 20 * 1024 * 1024),
    MAX_PHOTO_PIXELS: positiveInt("MAX_PHOTO_PIXELS", 100_000_000),
    SANITIZE_CONCURRENCY: positiveInt("SANITIZE_CONCURRENCY", 2),
    PSEUDONYM_KEY: optional(key),
    DATA_KEY: optional(key),
    DATA_KEYS_PREVIOUS: z.preprocess(
      (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []),
      z.array(key),
    ),
    WEBHOOK_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
    WEBHOOK_SECRET: optional(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z, a-z, 0-9, _ and -"),
    ),
    PORT: optional(z.coerce.number().int().min(1).max(65535, "must be a TCP port (1-65535)")),
    HOST: optional(z.string().trim().regex(/^[A-Za-z0-9.:-]+$/, "must be an IP address or a host name")),
    DRAFT_TTL_DAYS: positiveInt("DRAFT_TTL_DAYS", 14),
    WITHDRAWN_RETENTION_DAYS: positiveInt("WITHDRAWN_RETENTION_DAYS", 30),
    TAKE_TIMEOUT_HOURS: positiveInt("TAKE_TIMEOUT_HOURS", 48),
  })
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required when WEBHOOK_URL is set" });
    }
    if (env.WEBHOOK_URL && !env.PORT) {
      ctx.addIssue({ code: "custom", path: ["PORT"], message: "is required when WEBHOOK_URL is set" });
    }
    if (env.DATABASE_URL && !env.PSEUDONYM_KEY) {
      ctx.addIssue({ code: "custom", path: ["PSEUDONYM_KEY"], message: "is required when DATABASE_URL is set" });
    }
    if (env.DATABASE_URL && !env.DATA_KEY) {
      ctx.addIssue({ code: "custom", path: ["DATA_KEY"], message: "is required when DATABASE_URL is set" });
    }
  });

type Env = z.output<typeof schema>;

export interface Config {
  botToken: string;
  databaseUrl: string | undefined;
  dataDir: string;
  botApiRoot: string | undefined;
  adminIds: number[];
  moderationChatId: number | undefined;
  defaultLocale: "uk" | "en";
  logLevel: (typeof logLevels)[number];
  maxPhotoBytes: number;
  maxPhotoPixels: number;
  sanitizeConcurrency: number;
  pseudonymKey: string | undefined;
  dataKey: string | undefined;
  previousDataKeys: string[];
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  port: number | undefined;
  /** Interface the HTTP server on PORT listens on; unset: every interface. */
  host: string | undefined;
  draftTtlDays: number;
  withdrawnRetentionDays: number;
  takeTimeoutHours: number;
}

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function toConfig(env: Env): Config {
  return {
    botToken: env.BOT_TOKEN,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    botApiRoot: env.BOT_API_ROOT?.replace(/\/+$/, ""),
    adminIds: env.ADMIN_IDS,
    moderationChatId: env.MODERATION_CHAT_ID,
    defaultLocale: env.DEFAULT_LOCALE,
    logLevel: env.LOG_LEVEL,
    maxPhotoBytes: env.MAX_PHOTO_BYTES,
    maxPhotoPixels: env.MAX_PHOTO_PIXELS,
    sanitizeConcurrency: env.SANITIZE_CONCURRENCY,
    pseudonymKey: env.PSEUDONYM_KEY,
    dataKey: env.DATA_KEY,
    previousDataKeys: env.DATA_KEYS_PREVIOUS,
    webhookUrl: env.WEBHOOK_URL,
    webhookSecret: env.WEBHOOK_SECRET,
    port: env.PORT,
    host: env.HOST,
    draftTtlDays: env.DRAFT_TTL_DAYS,
    withdrawnRetentionDays: env.WITHDRAWN_RETENTION_DAYS,
    takeTimeoutHours: env.TAKE_TIMEOUT_HOURS,
  };
}

/** Validates every setting at once, so a person fixing `.env` sees all problems in one go. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "configuration"} ${issue.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  return toConfig(result.data);
}

/** Reads `.env` (values already in the environment win), then validates. */
export function loadConfig(defaults: Record<string, string> = {}): Config {
  dotenv.config({ quiet: true });
  return parseConfig({ ...defaults, ...process.env });
}
