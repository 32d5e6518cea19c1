import pino, { type Logger } from "pino";

export type { Logger };

/**
 * Reporters' words and Telegram identities never reach a log line, whatever a call site passes in:
 * these paths are censored, and call sites log pseudonyms, never ids.
 */
export const redactedPaths = [
  "token",
  "botToken",
  "config.botToken",
  "config.pseudonymKey",
  "config.dataKey",
  "config.previousDataKeys",
  "pseudonymKey",
  "dataKey",
  "key",
  "text",
  "caption",
  "payload",
  "update",
  "from",
  "chat",
  "chat_id",
  "user_id",
  "userId",
  "chatId",
  "first_name",
  "last_name",
  "username",
  "err.payload",
  "error.payload",
  "*.text",
  "*.caption",
  "*.from",
  "*.chat",
  "*.chat_id",
  "*.first_name",
  "*.username",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "svidok" },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}

/** Errors are logged by name, code and message only: grammY errors carry the request payload (message texts, chat ids). */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { code?: unknown; error_code?: unknown; description?: unknown; method?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.error_code !== undefined ? { errorCode: e.error_code } : {}),
    ...(typeof e.method === "string" ? { method: e.method } : {}),
    stack: e.stack?.split("\n").slice(1, 6).join("\n"),
    ...(e.cause ? { cause: serializeError(e.cause) } : {}),
  };
}
