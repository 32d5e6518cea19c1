import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { testDatabaseUrl } from "../helpers/test-database.js";
import { expectCasesMatch } from "./helpers/case-checks.js";
import { createProxiedDatabase, freePort, type ProxiedDatabase } from "./helpers/proxied-database.js";
import { noisePhotos, ScriptedReporter } from "./helpers/scripted-reporter.js";

const CONVERSATIONS = 20;
const OUTAGE_MS = 5_000;

// The outage is a proxy between this bot and PostgreSQL that the test cuts: the server itself keeps running for
// every other test, and the bot sees exactly what a restart shows it (connections dropped, then refused).
describe.skipIf(!testDatabaseUrl)("PostgreSQL unreachable in the middle of 20 conversations (long polling)", { timeout: 90_000 }, () => {
  let database: ProxiedDatabase;
  let svidok: RunningSvidok;
  let port: number;

  beforeAll(async () => {
    database = await createProxiedDatabase();
    port = await freePort();
    svidok = await startSvidok({ database: { ...database.viaProxy }, env: { PORT: String(port), HOST: "127.0.0.1" } });
  });
  afterAll(async () => {
    await svidok?.stop();
    await database?.close();
  });

  it("finishes all 20 once it is back, every answer taken without being sent twice, people told once to wait", async () => {
    const reporters = await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, n) =>
        new ScriptedReporter(svidok.api, {
          locale: n % 2 === 0 ? "en" : "uk",
          description: `Television of reporter ${n}`,
          narrative: `Reporter ${n}: soldiers loaded it into a truck.`,
          address: `Bucha, Vokzalna street ${n + 1}`,
          photos: await noisePhotos(1, 500 + n),
        }),
      ),
    );
    // A silence this long means an answer was lost: the bot must not need any answer sent twice.
    const runs = reporters.map((reporter) => reporter.run({ resendAfterMs: 40_000, timeoutMs: 80_000 }));
    // Cut once every conversation is under way (each has had a few questions), restore after the outage.
    await svidok.api.waitFor(() => reporters.every((r) => svidok.api.outputs(r.user.chat.id).length >= 4), { timeoutMs: 30_000 });
    await database.proxy.cut();
    const cutAt = Date.now();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
    await database.proxy.restore();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => o.resends)).toEqual(outcomes.map(() => 0));
    expect(outcomes.map((o) => o.apologies)).toEqual(outcomes.map(() => 0));
    // Told at most once each (the notice is rate limited per chat), and told at all where an answer had to wait.
    expect(outcomes.every((o) => o.outageNotices <= 1)).toBe(true);
    expect(outcomes.some((o) => o.outageNotices === 1)).toBe(true);
    await expectCasesMatch(database.direct.db, reporters, outcomes);
  });
});
