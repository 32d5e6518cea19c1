import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { testDatabaseUrl } from "../helpers/test-database.js";
import { expectCasesMatch } from "./helpers/case-checks.js";
import { createProxiedDatabase, freePort, type ProxiedDatabase } from "./helpers/proxied-database.js";
import { noisePhotos, ScriptedReporter } from "./helpers/scripted-reporter.js";

const CONVERSATIONS = 20;
const OUTAGE_MS = 5_000;

/** How the database goes away and comes back. */
interface Outage {
  begin(database: ProxiedDatabase): Promise<void>;
  end(database: ProxiedDatabase): Promise<void>;
}

// A proxy between this bot and PostgreSQL that the test cuts: the server keeps running for every other test, and
// the bot sees what a restart shows it (connections dropped, then refused).
const proxyCut: Outage = {
  begin: (database) => database.proxy.cut(),
  end: (database) => database.proxy.restore(),
};

// The server itself stopped and started again, where the test may do that (CI names the Debian cluster in
// TEST_POSTGRES_RESTART_CLUSTER, e.g. "15 main"). Fault tests run after all others, one file at a time, so no
// other test loses its connections.
const cluster = process.env.TEST_POSTGRES_RESTART_CLUSTER?.trim().split(/\s+/);
const ctl = (...action: string[]) =>
  execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", ...cluster!, ...action], { stdio: "inherit" });
const serverRestart: Outage = {
  async begin() {
    ctl("stop", "-m", "fast");
  },
  async end() {
    ctl("start");
  },
};

function outageScenario(title: string, outage: Outage) {
  describe(title, { timeout: 120_000 }, () => {
    let database: ProxiedDatabase;
    let svidok: RunningSvidok;
    let port: number;
    let down = false;

    beforeAll(async () => {
      database = await createProxiedDatabase();
      port = await freePort();
      svidok = await startSvidok({ database: { ...database.viaProxy }, env: { PORT: String(port), HOST: "127.0.0.1" } });
    });
    afterAll(async () => {
      // A failed test must not leave the server stopped for the tests after it.
      if (down) await outage.end(database);
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
      const runs = reporters.map((reporter) => reporter.run({ resendAfterMs: 40_000, timeoutMs: 100_000 }));
      // Cut once every conversation is under way (each has had a few questions), restore after the outage.
      await svidok.api.waitFor(() => reporters.every((r) => svidok.api.outputs(r.user.chat.id).length >= 4), { timeoutMs: 30_000 });
      down = true;
      await outage.begin(database);
      const cutAt = Date.now();
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      await outage.end(database);
      down = false;
      // A restarted server takes a moment to accept connections again.
      const backBy = Date.now() + 20_000;
      while ((await fetch(`http://127.0.0.1:${port}/healthz`)).status !== 200) {
        expect(Date.now(), "the database came back but /healthz did not").toBeLessThan(backBy);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      const outcomes = await Promise.all(runs);
      expect(outcomes.map((o) => o.resends)).toEqual(outcomes.map(() => 0));
      expect(outcomes.map((o) => o.apologies)).toEqual(outcomes.map(() => 0));
      // Told at most once each (the notice is rate limited per chat), and told at all where an answer had to wait.
      expect(outcomes.every((o) => o.outageNotices <= 1)).toBe(true);
      expect(outcomes.some((o) => o.outageNotices === 1)).toBe(true);
      await expectCasesMatch(database.direct.db, reporters, outcomes);
    });
  });
}

describe.skipIf(!testDatabaseUrl)("PostgreSQL unreachable in the middle of 20 conversations (long polling)", () => {
  outageScenario("connections cut and refused", proxyCut);
  describe.runIf(cluster !== undefined && cluster.length > 0)("the server restarted", () => {
    outageScenario("PostgreSQL stopped and started again", serverRestart);
  });
});
