import pg from "pg";
import { describe, expect, it } from "vitest";
import { isTransientDatabaseError } from "../../src/server/database-errors.js";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("which failures mean 'the database could not be used just now'", () => {
  it("recognises socket errors, server shutdown and start-up, lock timeouts and pool failures", () => {
    for (const error of [
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("read ECONNRESET", "ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new Error("Client has encountered a connection error and is not queryable"),
      withCode("terminating connection due to administrator command", "57P01"),
      withCode("the database system is starting up", "57P03"),
      withCode("canceling statement due to lock timeout", "55P03"),
      withCode("server closed the connection", "08006"),
      new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], ""),
    ]) {
      expect(isTransientDatabaseError(error), error.message).toBe(true);
    }
  });

  it("looks through grammY's wrapping and error causes", () => {
    const inner = withCode("read ECONNRESET", "ECONNRESET");
    expect(isTransientDatabaseError({ error: inner })).toBe(true);
    expect(isTransientDatabaseError(new Error("submit failed", { cause: inner }))).toBe(true);
  });

  it("still recognises them after a conversation's external() cloned the error and dropped its code", () => {
    for (const original of [
      withCode("read ECONNRESET", "ECONNRESET"),
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("the database system is shutting down", "57P03"),
    ]) {
      const cloned = structuredClone(original);
      expect((cloned as { code?: string }).code).toBeUndefined();
      expect(isTransientDatabaseError(cloned)).toBe(true);
    }
  });

  it("does not mistake bugs, constraint violations or Telegram's network errors for an outage", () => {
    const telegram = Object.assign(new Error("Network request for 'sendMessage' failed!"), {
      name: "HttpError",
      error: withCode("read ECONNRESET", "ECONNRESET"),
    });
    for (const error of [
      new TypeError("Cannot read properties of undefined"),
      withCode('duplicate key value violates unique constraint "cases_draft_key_key"', "23505"),
      withCode('new row for relation "cases" violates check constraint', "23514"),
      telegram,
      "a string",
      undefined,
    ]) {
      expect(isTransientDatabaseError(error)).toBe(false);
    }
  });

  it("recognises what node-postgres really throws when nothing listens on the port", async () => {
    const client = new pg.Client({ host: "127.0.0.1", port: 1, connectionTimeoutMillis: 2_000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(isTransientDatabaseError(error)).toBe(true);
  });
});
