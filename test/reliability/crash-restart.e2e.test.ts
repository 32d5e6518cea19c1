import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../harness/fake-bot-api.js";
import type { SpawnedBot } from "../harness/spawn-bot.js";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "../helpers/test-database.js";
import { deploymentKeys, startBotProcess } from "./helpers/bot-process.js";
import { expectCasesMatch } from "./helpers/case-checks.js";
import { noisePhotos, type ReporterOutcome, ScriptedReporter } from "./helpers/scripted-reporter.js";
import { seededRandom } from "../helpers/seeded-random.js";

const REPORTERS = 50;
const PHOTOS_EACH = 1;
const KILLS = 5;
/** Kills made while nobody has submitted yet; the others fall among the submissions. */
const EARLY_KILLS = 2;
/**
 * How many finished reports each later kill waits for. A restart lets the reports whose submit was under way finish
 * together, so the bands stay well below 50 for the last kill still to find reports being filed.
 */
const LATE_KILL_BANDS: [number, number][] = [
  [1, 6],
  [7, 16],
  [17, 28],
];
const SEED = 20_240_224;

// SIGKILL of a process that shares nothing but PostgreSQL with the next one: the deployment this guards.
describe.skipIf(!testDatabaseUrl)("bot SIGKILLed and restarted while 50 people file reports (PostgreSQL)", { timeout: 110_000 }, () => {
  let api: FakeBotApi;
  let database: TestDatabase;
  let bot: SpawnedBot | undefined;

  beforeAll(async () => {
    api = await FakeBotApi.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await bot?.stop();
    await api?.stop();
    await database?.close();
  });

  it(`ends with exactly ${REPORTERS} cases, every acknowledged photo attached, no draft, no duplicate`, async () => {
    const keys = deploymentKeys();
    const start = () => startBotProcess({ api, databaseUrl: database.connectionString!, keys });
    bot = await start();
    const random = seededRandom(SEED);
    const reporters = await Promise.all(
      Array.from({ length: REPORTERS }, async (_, n) =>
        new ScriptedReporter(api, {
          locale: n % 2 === 0 ? "uk" : "en",
          description: `Laptop of reporter ${n}, grey`,
          narrative: `Reporter ${n}: they came in the morning and took everything.`,
          address: `Irpin, Soborna street ${n + 1}`,
          photos: await noisePhotos(PHOTOS_EACH, SEED + n),
        }),
      ),
    );

    let finished = 0;
    const runs = reporters.map((reporter) =>
      reporter.run({ resendAfterMs: 15_000, timeoutMs: 100_000 }).finally(() => finished++),
    );
    const kills: number[] = [];
    const killed: SpawnedBot[] = [];
    const chaos = (async () => {
      for (let i = 0; i < KILLS && finished < REPORTERS; i++) {
        if (i < EARLY_KILLS) {
          // A seeded moment while people are in the middle of their questions: 2.5 to 7 seconds into this process's life.
          await sleep(2_500 + random() * 4_500);
        } else {
          // The rest fall among the submissions: each once a seeded number of reports, from its own band, are cases.
          const [low, high] = LATE_KILL_BANDS[i - EARLY_KILLS]!;
          const threshold = low + Math.floor(random() * (high - low + 1));
          const giveUpAt = Date.now() + 60_000;
          while (finished < threshold && Date.now() < giveUpAt) await sleep(20);
        }
        if (finished >= REPORTERS) break;
        bot!.kill("SIGKILL");
        await bot!.waitForExit(5_000);
        kills.push(finished);
        killed.push(bot!);
        bot = await start();
      }
    })();
    const outcomes: ReporterOutcome[] = await Promise.all(runs).catch((error: unknown) => {
      // What the bots logged at warning level and above is what explains a reporter left without an answer.
      const logged = [...killed, bot!]
        .flatMap((process) => process.logLines())
        .filter((line) => Number(line.level) >= 40)
        .map((line) => JSON.stringify(line).slice(0, 2_000));
      throw new Error(`${(error as Error).message}\nBots' warnings and errors:\n${logged.slice(-30).join("\n")}`);
    });
    await chaos;
    expect(kills).toHaveLength(KILLS);
    // Every kill landed while reports were still being filed; the later ones after some had already become cases.
    expect(kills.every((done) => done < REPORTERS)).toBe(true);
    expect(kills.slice(EARLY_KILLS).every((done) => done > 0)).toBe(true);

    await expectCasesMatch(database.db, reporters, outcomes);
    const photos = outcomes.reduce((sum, o) => sum + o.acknowledgedPhotos.length, 0);
    const resends = outcomes.reduce((sum, o) => sum + o.resends, 0);
    // Updates a killed process had handled but not yet confirmed come again, and are recognised.
    const skipped = [...killed, bot!]
      .flatMap((process) => process.logLines())
      .filter((line) => String(line.msg).startsWith("update delivered again")).length;
    console.info(
      `crash test: ${KILLS} SIGKILLs after ${kills.join(", ")} finished reports; ${photos} photos acknowledged; ` +
        `${skipped} redelivered updates recognised; ${resends} answers sent again by people after a silence`,
    );
  });
});
