import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { openEmbedded } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createLogger } from "../../src/logger.js";
import { openContact, sealContact } from "../../src/privacy/contact-cipher.js";
import { KeyMismatchError, verifyKeys } from "../../src/privacy/key-check.js";
import { keyFilePath, keysFromConfig, type KeyFile, resolveKeys } from "../../src/privacy/keys.js";
import { rotateDataKey } from "../../src/privacy/rotate.js";
import { openState, sealState } from "../../src/privacy/sealed-state.js";
import { FakeBotApi, TEST_BOT_TOKEN } from "../harness/fake-bot-api.js";
import { type SpawnedBot, spawnBot } from "../harness/spawn-bot.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../helpers/test-database.js";
import { expectText, reportUntilPerpetrators, translator } from "../intake/flow.js";
import { insertReporter } from "../moderation/fixtures.js";
import { fileReport } from "./flows.js";

const hexKey = () => randomBytes(32).toString("hex");
const silent = createLogger("silent");

describe("rotating DATA_KEY", { timeout: 300_000 }, () => {
  let api: FakeBotApi;
  let database: TestDatabase;
  const running: RunningSvidok[] = [];
  const processes: SpawnedBot[] = [];
  beforeAll(async () => {
    api = await FakeBotApi.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const svidok of running) await svidok.stop();
    for (const p of processes) await p.stop();
    await database?.close();
    await api?.stop();
  });

  it("a follow-up question still reaches a reporter who allowed contact, and a report in progress goes on", async () => {
    const adminId = api.allocateUserId();
    const pseudonymKey = hexKey();
    const oldKey = hexKey();
    const newKey = hexKey();
    const env = { ADMIN_IDS: String(adminId), DEFAULT_LOCALE: "en", PSEUDONYM_KEY: pseudonymKey };
    const before = await startSvidok({ api, database, env: { ...env, DATA_KEY: oldKey } });
    running.push(before);
    const uk = translator("uk");
    const reporter = before.user({ languageCode: "uk" });
    const ref = await fileReport(reporter, uk, { contact: true });
    const midway = before.user({ languageCode: "uk" });
    await reportUntilPerpetrators(midway, uk);
    await midway.settled();
    await before.stop();

    // The operator's steps: the new key in DATA_KEY, the old one in DATA_KEYS_PREVIOUS, then `npm run rotate-keys`.
    const rotationKeys = keysFromConfig({ pseudonymKey, dataKey: newKey, previousDataKeys: [oldKey] })!;
    if (database.connectionString) {
      const cli = spawnBot({
        entry: "src/cli/rotate-keys.ts",
        env: {
          BOT_API_ROOT: api.apiRoot,
          DATABASE_URL: database.connectionString,
          PSEUDONYM_KEY: pseudonymKey,
          DATA_KEY: newKey,
          DATA_KEYS_PREVIOUS: oldKey,
        },
      });
      processes.push(cli);
      expect((await cli.waitForExit(60_000)).code, cli.describeOutput()).toBe(0);
      expect(cli.stdout).toContain(`Re-sealed 1 contact(s) and 1 conversation state(s) under data key ${rotationKeys.dataKey.id}`);
    } else {
      // An in-memory PGlite cannot be shared with another process: the command's work is done here, and the
      // command itself is run against an embedded data folder below.
      expect(await rotateDataKey(database.db, rotationKeys)).toMatchObject({ contacts: 1, conversations: 1 });
    }

    // The bot now runs with the new key alone: nothing sealed with the old one is left.
    const after = await startSvidok({ api, database, env: { ...env, DATA_KEY: newKey } });
    running.push(after);
    const admin = after.user({ id: adminId, languageCode: "en" });
    await admin.says(`/take ${ref}`);
    await admin.waitForReply(`${ref} is yours now`);
    await admin.says(`/needinfo ${ref} Was the door forced?`);
    await admin.waitForReply(`Question sent to the reporter of ${ref}`);
    await reporter.waitForReply(/Was the door forced\?/);

    await midway.taps(uk("intake-button-skip"));
    await expectText(midway, uk, "intake-photos-question", { max: 20 });
  });

  it("with the wrong DATA_KEY the bot refuses to start, names the setting, and changes nothing", async () => {
    const pseudonymKey = hexKey();
    const rightKey = hexKey();
    const keys = keysFromConfig({ pseudonymKey, dataKey: rightKey, previousDataKeys: [] })!;
    const own = await createTestDatabase();
    try {
      await verifyKeys(own.db, keys);
      await insertReporter(own.db, keys, 7350000001, { contact: true });
      const snapshot = async () => ({
        reporters: await own.db.selectFrom("reporters").selectAll().execute(),
        storage: await own.db.selectFrom("bot_storage").selectAll().execute(),
        events: await own.db.selectFrom("case_events").selectAll().execute(),
      });
      const before = await snapshot();
      const dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-wrongkey-"));
      const config = parseConfig({
        BOT_TOKEN: TEST_BOT_TOKEN,
        BOT_API_ROOT: api.apiRoot,
        DATA_DIR: dataDir,
        PSEUDONYM_KEY: pseudonymKey,
        DATA_KEY: hexKey(),
      });
      const getUpdatesBefore = api.callsTo("getUpdates").length;
      const error = await startApp(config, { database: own, logger: silent }).catch((e: unknown) => e);
      await rm(dataDir, { recursive: true, force: true });
      expect(error).toBeInstanceOf(KeyMismatchError);
      expect((error as KeyMismatchError).setting).toBe("DATA_KEY");
      expect((error as Error).message).toMatch(/^DATA_KEY does not fit this database/);
      expect(api.callsTo("getUpdates").length).toBe(getUpdatesBefore);
      expect(await snapshot()).toEqual(before);
    } finally {
      await own.close();
    }
  });
});

/**
 * The commands as an operator runs them, each its own process: `npm start` with a wrong key, and
 * `npm run rotate-keys`. On PostgreSQL when TEST_DATABASE_URL is set, otherwise on the embedded default.
 */
describe("the processes", { timeout: 300_000 }, () => {
  let api: FakeBotApi;
  let dataDir: string;
  const processes: SpawnedBot[] = [];
  beforeAll(async () => {
    api = await FakeBotApi.start();
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** A database with a reporter whose contact is sealed under `keys`, as the bot leaves it; returns the settings that reach it. */
  async function databaseWith(pseudonymKey: string, dataKey: string): Promise<{ env: Record<string, string>; close: () => Promise<void> }> {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-keys-process-"));
    const keys = keysFromConfig({ pseudonymKey, dataKey, previousDataKeys: [] })!;
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      await verifyKeys(database.db, keys);
      await insertReporter(database.db, keys, 7360000001, { contact: true });
      return { env: { DATABASE_URL: database.connectionString!, DATA_DIR: dataDir }, close: () => database.close() };
    }
    const embedded = await openEmbedded(dataDir);
    await migrateToLatest(embedded.db);
    await verifyKeys(embedded.db, keys);
    await insertReporter(embedded.db, keys, 7360000001, { contact: true });
    await embedded.close();
    return { env: { DATA_DIR: dataDir }, close: async () => undefined };
  }

  for (const wrong of ["DATA_KEY", "PSEUDONYM_KEY"] as const) {
    it(`npm start with the wrong ${wrong} exits 1 with one clear line naming it, before taking any update`, async () => {
      const pseudonymKey = hexKey();
      const dataKey = hexKey();
      const target = await databaseWith(pseudonymKey, dataKey);
      try {
        const bot = spawnBot({
          env: {
            BOT_TOKEN: TEST_BOT_TOKEN,
            BOT_API_ROOT: api.apiRoot,
            ...target.env,
            PSEUDONYM_KEY: wrong === "PSEUDONYM_KEY" ? hexKey() : pseudonymKey,
            DATA_KEY: wrong === "DATA_KEY" ? hexKey() : dataKey,
          },
        });
        processes.push(bot);
        const exit = await bot.waitForExit(60_000);
        expect(exit.code, bot.describeOutput()).toBe(1);
        expect(bot.stderr).toMatch(new RegExp(`^Svidok could not start: ${wrong} (does not fit|is not the key)`, "m"));
        expect(bot.stderr).toContain("Nothing was changed.");
        expect(api.callsTo("getUpdates")).toEqual([]);
      } finally {
        await target.close();
      }
    });
  }

  it("npm run rotate-keys on the embedded default generates a new key, re-seals everything under it, and keeps the file owner-only", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "svidok-rotate-embedded-"));
    const config = parseConfig({ BOT_TOKEN: TEST_BOT_TOKEN, DATA_DIR: dataDir });
    const generated = await resolveKeys(config, silent);
    const embedded = await openEmbedded(dataDir);
    await migrateToLatest(embedded.db);
    await verifyKeys(embedded.db, generated);
    await insertReporter(embedded.db, generated, 7370000001, { contact: true });
    const state = { version: [0, 1], state: { "intake-items": [] } };
    await embedded.db
      .insertInto("bot_storage")
      .values({ key: "session:x", value: JSON.stringify({ conversations: sealState(state, generated.dataKey) }) })
      .execute();
    await embedded.close();

    const cli = spawnBot({ entry: "src/cli/rotate-keys.ts", env: { BOT_API_ROOT: api.apiRoot, DATA_DIR: dataDir } });
    processes.push(cli);
    expect((await cli.waitForExit(60_000)).code, cli.describeOutput()).toBe(0);
    expect(cli.stdout).toMatch(/Re-sealed 1 contact\(s\) and 1 conversation state\(s\)/);
    expect(cli.stdout).toMatch(/back it up again/);

    const file = JSON.parse(await readFile(keyFilePath(dataDir), "utf8")) as KeyFile;
    expect(file.previousDataKeys).toBeUndefined();
    expect(((await stat(keyFilePath(dataDir))).mode & 0o777).toString(8)).toBe("600");
    expect(file.pseudonymKey).toBe(generated.pseudonymKey.toString("hex"));
    const rotated = await resolveKeys(config, silent);
    expect(rotated.dataKey.id).not.toBe(generated.dataKey.id);
    const after = await openEmbedded(dataDir);
    try {
      await verifyKeys(after.db, { ...rotated, previousDataKeys: [] });
      const row = await after.db.selectFrom("reporters").selectAll().executeTakeFirstOrThrow();
      const contact = { sealed: row.contact_chat_enc!, keyId: row.contact_key_id! };
      expect(openContact(contact, { ...rotated, previousDataKeys: [] })).toBe(7370000001);
      expect(() => openContact(contact, { dataKey: generated.dataKey, previousDataKeys: [] })).toThrow();
      const session = await after.db.selectFrom("bot_storage").select("value").executeTakeFirstOrThrow();
      expect(openState((session.value as { conversations: unknown }).conversations, { ...rotated, previousDataKeys: [] })).toEqual(state);
      expect(sealContact(1, rotated.dataKey).keyId).toBe(rotated.dataKey.id);
    } finally {
      await after.close();
    }
  });
});
