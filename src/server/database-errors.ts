/**
 * Errors that say "the database could not be used just now", not "this update is wrong": the server is
 * restarting or unreachable, a connection broke, the pool could not hand one out, or a lock wait gave up.
 * An update that failed this way must be handled again later rather than acknowledged.
 */

// SQLSTATE classes and codes: 08 connection exception, 57P01-57P03 shutdown and start-up, 53300 too many
// connections, 55P03 lock wait timeout (the chat lock), 40001/40P01 serialization failure and deadlock.
const transientSqlStates = new Set(["57P01", "57P02", "57P03", "53300", "55P03", "40001", "40P01"]);
const transientSocketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
// node-postgres reports a few connection failures only by message. And an error that crossed a conversation's
// `external()` is a structured clone: its message survives, its `code` does not, so the messages of the codes
// above are recognised too.
const transientMessages = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /Cannot use a pool after calling end on the pool/,
  /^(read|write|connect) (ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/,
  /^terminating connection due to administrator command/,
  /^the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/,
  /^sorry, too many clients already/,
  /^canceling statement due to lock timeout/,
  /^could not serialize access due to/,
  /^deadlock detected/,
];

export function isTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // grammY wraps handler errors (BotError.error); drivers and our own code chain causes.
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      error?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    // A failed call to Telegram carries a socket error too, but it is not the database's and is retried by the API client.
    if (e.name === "HttpError") return false;
    if (typeof e.code === "string") {
      if (e.code.startsWith("08") && e.code.length === 5) return true;
      if (transientSqlStates.has(e.code) || transientSocketCodes.has(e.code)) return true;
    }
    if (typeof e.message === "string" && transientMessages.some((pattern) => pattern.test(e.message as string))) {
      return true;
    }
    // A refused connection to "localhost" arrives as an AggregateError of one error per address.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isTransientDatabaseError(inner))) return true;
    current = e.error ?? e.cause;
  }
  return false;
}
