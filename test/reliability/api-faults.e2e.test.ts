import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../harness/fake-bot-api.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";
import { testDatabaseKind, testDatabaseUrl } from "../helpers/test-database.js";
import { expectCasesMatch } from "./helpers/case-checks.js";
import { noisePhotos, type ReporterScript, ScriptedReporter } from "./helpers/scripted-reporter.js";

const CONVERSATIONS = 20;

/** What a person saw, with their own words and the case reference blanked, so transcripts can be compared. */
function transcript(replies: readonly Reply[], script: ReporterScript): string[] {
  return replies.map((reply) =>
    `${reply.method}${reply.edited ? " (edit)" : ""} ${reply.body}`
      .replaceAll(script.description, "<description>")
      .replaceAll(script.narrative, "<narrative>")
      .replaceAll(script.address, "<address>")
      .replace(/SV-[0-9A-Z]{4}-[0-9A-Z]{4}/g, "<ref>"),
  );
}

const script = async (n: number): Promise<ReporterScript> => ({
  locale: "en",
  description: `Washing machine of reporter ${n}`,
  narrative: `Reporter ${n}: it was taken at night.`,
  address: `Hostomel, Lisna street ${n + 1}`,
  photos: await noisePhotos(1, 900 + n),
});

describe.skipIf(!testDatabaseUrl)(`Bot API failing 10% of calls with 429 or 500 (${testDatabaseKind})`, { timeout: 110_000 }, () => {
  let svidok: RunningSvidok;
  beforeAll(async () => {
    svidok = await startSvidok();
  });
  afterAll(async () => {
    await svidok?.stop();
  });

  it("completes every conversation, and every reply the bot meant to send arrives exactly once, in order", async () => {
    const { api } = svidok;
    // The reference: the same report with no failure at all.
    const reference = new ScriptedReporter(api, await script(-1));
    const { ref: referenceRef } = await reference.run({ resendAfterMs: 30_000, timeoutMs: 30_000 });
    const expected = transcript(api.outputs(reference.user.chat.id), reference.script);

    api.setRandomFailures({ rate: 0.1, seed: 424_242, failures: [{ status: 429, retryAfter: 1 }, { status: 500 }] });
    const reporters = await Promise.all(Array.from({ length: CONVERSATIONS }, async (_, n) => new ScriptedReporter(api, await script(n))));
    const outcomes = await Promise.all(reporters.map((r) => r.run({ resendAfterMs: 60_000, timeoutMs: 100_000 })));
    api.setRandomFailures(undefined);

    const injected = api.injectedFailures.length;
    expect(injected).toBeGreaterThan(20);
    for (const reporter of reporters) {
      expect(transcript(api.outputs(reporter.user.chat.id), reporter.script)).toEqual(expected);
    }
    expect(outcomes.every((o) => o.resends === 0 && o.apologies === 0)).toBe(true);
    expect(api.unansweredCallbackQueries).toEqual([]);
    await expectCasesMatch(svidok.db, reporters, outcomes, { earlierRefs: [referenceRef] });
    const eligible = api.calls.filter((call) => call.method.toLowerCase() !== "getupdates").length;
    console.info(`api faults: ${injected} injected failures in ${eligible} calls other than getUpdates, ${CONVERSATIONS} conversations`);
  });
});
