import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";
const key = "11".repeat(32);

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("needs only BOT_TOKEN and fills every default", () => {
    const config = parseConfig({ BOT_TOKEN: token });
    expect(config.botToken).toBe(token);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.defaultLocale).toBe("uk");
    expect(config.logLevel).toBe("info");
    expect(config.maxPhotoBytes).toBe(20 * 1024 * 1024);
    expect(config.adminIds).toEqual([]);
    expect(config.draftTtlDays).toBe(14);
    expect(config.withdrawnRetentionDays).toBe(30);
    expect(config.takeTimeoutHours).toBe(48);
  });

  it("parses lists, ids and URLs", () => {
    const config = parseConfig({
      BOT_TOKEN: token,
      DATABASE_URL: "postgres://svidok:secret@db.internal:5432/svidok",
      PSEUDONYM_KEY: key,
      DATA_KEY: Buffer.alloc(32, 7).toString("base64"),
      ADMIN_IDS: " 1001, 1002 ",
      MODERATION_CHAT_ID: "-1001234567890",
      BOT_API_ROOT: "http://127.0.0.1:8081/",
      DEFAULT_LOCALE: "en",
    });
    expect(config.adminIds).toEqual([1001, 1002]);
    expect(config.moderationChatId).toBe(-1001234567890);
    expect(config.botApiRoot).toBe("http://127.0.0.1:8081");
    expect(config.defaultLocale).toBe("en");
  });

  it("reports every bad value at once, each by name", () => {
    const problems = problemsOf({
      DATABASE_URL: "mysql://nowhere",
      ADMIN_IDS: "12,abc",
      DEFAULT_LOCALE: "de",
      LOG_LEVEL: "loud",
      MAX_PHOTO_BYTES: "-5",
      BOT_API_ROOT: "not a url",
    });
    const names = problems.map((p) => p.split(" ")[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        "BOT_TOKEN",
        "DATABASE_URL",
        "ADMIN_IDS.1",
        "DEFAULT_LOCALE",
        "LOG_LEVEL",
        "MAX_PHOTO_BYTES",
        "BOT_API_ROOT",
      ]),
    );
    expect(problems.find((p) => p.startsWith("BOT_TOKEN"))).toMatch(/required/);
  });

  it("rejects a malformed DATABASE_URL and a token of the wrong shape", () => {
    expect(problemsOf({ BOT_TOKEN: token, DATABASE_URL: "postgres//localhost", PSEUDONYM_KEY: key, DATA_KEY: key })).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a postgres/),
    ]);
    expect(problemsOf({ BOT_TOKEN: "hello" })).toEqual([expect.stringMatching(/^BOT_TOKEN does not look like/)]);
  });

  it("requires the keys with a real database and the secret with a webhook", () => {
    const problems = problemsOf({
      BOT_TOKEN: token,
      DATABASE_URL: "postgres://localhost/svidok",
      WEBHOOK_URL: "https://bot.example.org/hook",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PSEUDONYM_KEY is required/),
        expect.stringMatching(/^DATA_KEY is required/),
        expect.stringMatching(/^WEBHOOK_SECRET is required/),
        expect.stringMatching(/^PORT is required/),
      ]),
    );
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(problemsOf({ BOT_TOKEN: token, DATA_KEY: "abcd" })).toEqual([expect.stringMatching(/^DATA_KEY must be 32 bytes/)]);
  });
});
