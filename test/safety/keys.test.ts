import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { openContact, sealContact } from "../../src/privacy/contact-cipher.js";
import { KeyMismatchError, verifyKeys } from "../../src/privacy/key-check.js";
import { dataKeyId, keyFilePath, type Keys, resolveKeys } from "../../src/privacy/keys.js";
import { rotateDataKey } from "../../src/privacy/rotate.js";
import { openState, sealState } from "../../src/privacy/sealed-state.js";
import { openBytes, sealBytes } from "../../src/privacy/sealing.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { insertReporter, testKeys } from "../moderation/fixtures.js";

function dataKey() {
  const key = randomBytes(32);
  return { id: dataKeyId(key), key };
}

describe("sealing", () => {
  it("seals the same value differently every time and opens it only with its key and purpose", () => {
    const key = dataKey();
    const a = sealBytes(Buffer.from("7310007919"), key, "purpose-a");
    const b = sealBytes(Buffer.from("7310007919"), key, "purpose-a");
    expect(a).not.toBe(b);
    expect(a).not.toContain("7310007919");
    expect(openBytes(a, key, "purpose-a").toString()).toBe("7310007919");
    expect(() => openBytes(a, key, "purpose-b")).toThrow();
    expect(() => openBytes(a, dataKey(), "purpose-a")).toThrow();
    const tampered = Buffer.from(a, "base64");
    tampered[14]! ^= 1;
    expect(() => openBytes(tampered.toString("base64"), key, "purpose-a")).toThrow();
  });

  it("opens a contact with a previous key, and refuses one sealed with a key not configured", () => {
    const old = dataKey();
    const current = dataKey();
    const sealed = sealContact(-1001234567890, old);
    expect(openContact(sealed, { dataKey: current, previousDataKeys: [old] })).toBe(-1001234567890);
    expect(() => openContact(sealed, { dataKey: current, previousDataKeys: [] })).toThrow(/not configured/);
  });

  it("conversation state: opened with its key; unreadable (unsealed, unknown key, altered) comes back as nothing", () => {
    const key = dataKey();
    const state = { version: [0, 1], state: { "intake-role": [{ from: { id: 42, first_name: "Oksana" } }] } };
    const sealed = sealState(state, key);
    expect(JSON.stringify(sealed)).not.toMatch(/Oksana|"id":42/);
    expect(openState(sealed, { dataKey: key, previousDataKeys: [] })).toEqual(state);
    expect(openState(sealed, { dataKey: dataKey(), previousDataKeys: [] })).toBeUndefined();
    expect(openState(state, { dataKey: key, previousDataKeys: [] })).toBeUndefined();
    expect(openState({ ...sealed, s: sealed.s.slice(0, -4) + "AAA=" }, { dataKey: key, previousDataKeys: [] })).toBeUndefined();
    // A contact's text cannot be passed off as a conversation state: the purpose is bound to it.
    const contact = sealContact(42, key);
    expect(openState({ k: key.id, s: contact.sealed }, { dataKey: key, previousDataKeys: [] })).toBeUndefined();
  });
});

describe("keys on the embedded default", () => {
  let dir: string;
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "svidok-keys-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are generated once, owner-only, with a warning to back them up, and the same on the next start", async () => {
    const config = parseConfig({ BOT_TOKEN: "1:AAAAAAAAAAAAAAAAAAAAAAAA", DATA_DIR: dir });
    const first = await resolveKeys(config, logger);
    expect(((await stat(keyFilePath(dir))).mode & 0o777).toString(8)).toBe("600");
    expect(((await stat(dir)).mode & 0o077).toString(8)).toBe("0");
    const warning = logs.find((l) => l.level === 40);
    expect(String(warning?.msg)).toMatch(/Back this file up/);
    // The warning names the file, never a key.
    const file = JSON.parse(await readFile(keyFilePath(dir), "utf8")) as { pseudonymKey: string; dataKey: string };
    expect(JSON.stringify(logs)).not.toContain(file.dataKey);
    expect(JSON.stringify(logs)).not.toContain(file.pseudonymKey);
    const second = await resolveKeys(config, logger);
    expect(second.pseudonymKey.equals(first.pseudonymKey)).toBe(true);
    expect(second.dataKey).toEqual(first.dataKey);
  });

  it("a DATA_KEY set later wins, and the generated one still opens what it sealed", async () => {
    const generated = await resolveKeys(parseConfig({ BOT_TOKEN: "1:AAAAAAAAAAAAAAAAAAAAAAAA", DATA_DIR: dir }), logger);
    const sealed = sealContact(12345, generated.dataKey);
    const configured = await resolveKeys(
      parseConfig({ BOT_TOKEN: "1:AAAAAAAAAAAAAAAAAAAAAAAA", DATA_DIR: dir, DATA_KEY: randomBytes(32).toString("hex") }),
      logger,
    );
    expect(configured.dataKey.id).not.toBe(generated.dataKey.id);
    expect(configured.pseudonymKey.equals(generated.pseudonymKey)).toBe(true);
    expect(openContact(sealed, configured)).toBe(12345);
  });

  it("with DATABASE_URL only the configured keys count, and nothing is written", async () => {
    const other = await mkdtemp(path.join(os.tmpdir(), "svidok-keys-"));
    try {
      const keys = await resolveKeys(
        parseConfig({
          BOT_TOKEN: "1:AAAAAAAAAAAAAAAAAAAAAAAA",
          DATA_DIR: other,
          DATABASE_URL: "postgres://127.0.0.1/x",
          PSEUDONYM_KEY: "11".repeat(32),
          DATA_KEY: "22".repeat(32),
        }),
        logger,
      );
      expect(keys.previousDataKeys).toEqual([]);
      await expect(stat(keyFilePath(other))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe("keys against the database", () => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.close();
  });

  it("refuses a PSEUDONYM_KEY other than the one the database was first run with", async () => {
    database = await createTestDatabase();
    const keys = testKeys();
    await verifyKeys(database.db, keys);
    await verifyKeys(database.db, keys);
    const error = await verifyKeys(database.db, { ...keys, pseudonymKey: randomBytes(32) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyMismatchError);
    expect((error as KeyMismatchError).setting).toBe("PSEUDONYM_KEY");
    expect((error as KeyMismatchError).message).toMatch(/^PSEUDONYM_KEY is not the key this database was first run with/);
  });

  it("refuses a DATA_KEY that did not seal what is stored, names the key ids, and accepts it with the old key kept as previous", async () => {
    database = await createTestDatabase();
    const keys = testKeys();
    await insertReporter(database.db, keys, 7310000001, { contact: true });
    await insertReporter(database.db, keys, 7310000002, { contact: false });
    await database.db
      .insertInto("bot_storage")
      .values({ key: "session:abc", value: JSON.stringify({ conversations: sealState({ state: {} }, keys.dataKey) }) })
      .execute();
    await verifyKeys(database.db, keys);
    const wrong: Keys = { ...keys, dataKey: dataKey() };
    const error = (await verifyKeys(database.db, wrong).catch((e: unknown) => e)) as KeyMismatchError;
    expect(error).toBeInstanceOf(KeyMismatchError);
    expect(error.setting).toBe("DATA_KEY");
    expect(error.unknownKeyIds).toEqual([keys.dataKey.id]);
    expect(error.message).toMatch(new RegExp(`^DATA_KEY does not fit this database: 2 sealed value\\(s\\) were sealed with key id ${keys.dataKey.id}`));
    expect(error.message).not.toContain(keys.dataKey.key.toString("hex"));
    await verifyKeys(database.db, { ...wrong, previousDataKeys: [keys.dataKey] });
  });

  it("rotation re-seals contacts and conversation states under DATA_KEY, drops states nobody can read, and is logged", async () => {
    database = await createTestDatabase();
    const db = database.db;
    const oldest = testKeys();
    const old: Keys = { ...oldest, dataKey: dataKey() };
    const reporters = [
      await insertReporter(db, oldest, 7320000001, { contact: true }),
      await insertReporter(db, old, 7320000002, { contact: true }),
      await insertReporter(db, old, 7320000003, { contact: false }),
    ];
    const state = { version: [0, 1], state: { "intake-role": [{ args: "[]" }] } };
    await db
      .insertInto("bot_storage")
      .values([
        { key: "session:a", value: JSON.stringify({ locale: "uk", conversations: sealState(state, oldest.dataKey) }) },
        { key: "session:b", value: JSON.stringify({ locale: "en", conversations: { version: [0, 1], state: {} } }) },
        { key: "session:c", value: JSON.stringify({ locale: "en" }) },
      ])
      .execute();
    const current: Keys = { ...old, dataKey: dataKey(), previousDataKeys: [old.dataKey, oldest.dataKey] };
    await verifyKeys(db, current);

    const result = await rotateDataKey(db, current, { batchSize: 1 });
    expect(result).toMatchObject({ keyId: current.dataKey.id, contacts: 2, conversations: 1, conversationsDropped: 1 });
    expect(result.fromKeyIds.sort()).toEqual([old.dataKey.id, oldest.dataKey.id].sort());

    const onlyNew: Keys = { ...current, previousDataKeys: [] };
    await verifyKeys(db, onlyNew);
    const rows = await db.selectFrom("reporters").selectAll().orderBy("created_at").execute();
    expect(rows.map((r) => r.contact_key_id)).toEqual([current.dataKey.id, current.dataKey.id, null]);
    expect(openContact({ sealed: rows[0]!.contact_chat_enc!, keyId: rows[0]!.contact_key_id! }, onlyNew)).toBe(7320000001);
    expect(openContact({ sealed: rows[1]!.contact_chat_enc!, keyId: rows[1]!.contact_key_id! }, onlyNew)).toBe(7320000002);
    expect(rows.map((r) => r.id).sort()).toEqual(reporters.map((r) => r.id).sort());
    const sessions = await db.selectFrom("bot_storage").selectAll().orderBy("key").execute();
    const values = sessions.map((s) => s.value as { locale: string; conversations?: unknown });
    expect(openState(values[0]!.conversations, onlyNew)).toEqual(state);
    expect(values.map((v) => [v.locale, "conversations" in v])).toEqual([
      ["uk", true],
      ["en", false],
      ["en", false],
    ]);
    const events = await db.selectFrom("case_events").selectAll().where("kind", "=", "keys_rotated").execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ case_id: null, actor_kind: "system" });
    expect(JSON.stringify(events[0]!.data)).not.toContain(current.dataKey.key.toString("hex"));

    const again = await rotateDataKey(db, current);
    expect(again).toMatchObject({ contacts: 0, conversations: 0, conversationsDropped: 0, fromKeyIds: [] });
  });

  it("rotation stops at a contact no configured key opens, changing nothing", async () => {
    database = await createTestDatabase();
    const keys = testKeys();
    await insertReporter(database.db, keys, 7330000001, { contact: true });
    await sql`update reporters set contact_chat_enc = ${sealContact(1, dataKey()).sealed}`.execute(database.db);
    const before = await database.db.selectFrom("reporters").selectAll().execute();
    const current: Keys = { ...keys, dataKey: dataKey(), previousDataKeys: [keys.dataKey] };
    await expect(rotateDataKey(database.db, current)).rejects.toThrow(/could not be opened/);
    expect(await database.db.selectFrom("reporters").selectAll().execute()).toEqual(before);
  });
});
