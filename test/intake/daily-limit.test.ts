import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORTS_PER_DAY } from "../../src/bot/features/intake/index.js";
import { ensureReporter } from "../../src/db/reporters.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";

describe("reports a day", () => {
  let svidok: RunningSvidok;

  beforeAll(async () => {
    svidok = await startSvidok();
  });

  afterAll(async () => {
    await svidok?.stop();
  });

  async function givenReportsToday(userId: number, count: number) {
    const reporter = await ensureReporter(svidok.db, svidok.app.services.pseudonymize(userId), "en");
    for (let i = 0; i < count; i++) {
      await svidok.db
        .insertInto("cases")
        .values({
          ref: `SV-LIM${String(userId).slice(-2)}-${String(i).padStart(4, "0")}`,
          draft_key: `limit-${userId}-${i}`,
          reporter_id: reporter.id,
          role: "witness",
          incident_date: null,
          incident_date_precision: "unknown",
          region: "kyivska",
          contact_allowed: false,
          consent_version: "1",
          locale: "en",
        })
        .execute();
    }
  }

  it("lets a person start reports up to the limit and then explains, in their language, when to come back", async () => {
    const busy = svidok.user({ languageCode: "en" });
    await givenReportsToday(busy.id, REPORTS_PER_DAY - 1);
    await busy.says("/new");
    expect((await busy.nextReply()).body).toMatch(/agree/i);

    const flooding = svidok.user({ languageCode: "uk" });
    await givenReportsToday(flooding.id, REPORTS_PER_DAY);
    await flooding.says("/new");
    expect((await flooding.nextReply()).body).toMatch(new RegExp(`${REPORTS_PER_DAY} звітів.*завтра`, "s"));
    await flooding.settled();
    const drafts = await svidok.db.selectFrom("drafts").select("draft_key").execute();
    expect(drafts).toEqual([]);
  });
});
