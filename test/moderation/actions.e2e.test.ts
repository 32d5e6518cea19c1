import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeCase } from "../../src/cases/moderation.js";
import type { Case, CaseStatus } from "../../src/db/types.js";
import type { BotMessage } from "../harness/fake-bot-api.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { testDatabaseKind } from "../helpers/test-database.js";
import { eventsOf } from "./fixtures.js";
import { type ModerationWorld, startModerationWorld } from "./world.js";

let world: ModerationWorld;
let olenaInGroup: TelegramUser;

beforeAll(async () => {
  world = await startModerationWorld();
  olenaInGroup = world.olena.inGroup(world.group);
});

afterAll(async () => {
  await world?.stop();
});

/** Presses the button with this label on this very message, as a person does on a card further up the chat. */
async function press(user: TelegramUser, message: BotMessage, label: string) {
  const button = message.replyMarkup && "inline_keyboard" in message.replyMarkup
    ? message.replyMarkup.inline_keyboard.flat().find((b) => b.text === label)
    : undefined;
  if (!button || !("callback_data" in button)) throw new Error(`no button ${label} on message ${message.messageId}`);
  return user.tapsData(button.callback_data!, { messageId: message.messageId });
}

interface Scenario {
  name: string;
  from: "new" | "in_review";
  to: CaseStatus;
  event: string;
  button: string;
  /** The text a prompt asks for, when the button needs one. */
  text?: (original: Case) => string;
  command: (c: Case, original: Case) => string;
  /** What the reporter (who writes Ukrainian) reads; undefined: the reporter hears nothing. */
  reporterSees?: RegExp;
  needsContact?: boolean;
}

const scenarios: Scenario[] = [
  { name: "take", from: "new", to: "in_review", event: "taken", button: "🙋 Take", command: (c) => `/take ${c.ref}` },
  {
    name: "verify",
    from: "in_review",
    to: "verified",
    event: "verified",
    button: "✅ Verify",
    command: (c) => `/verify ${c.ref.toLowerCase()}`,
    reporterSees: /перевірено й підтверджено/,
  },
  {
    name: "reject",
    from: "in_review",
    to: "rejected",
    event: "rejected",
    button: "⛔ Reject",
    text: () => "The photos show a different building",
    command: (c) => `/reject ${c.ref} The photos show a different building`,
    reporterSees: /не вдалося прийняти\. Причина: The photos show a different building/,
  },
  {
    name: "needs info",
    from: "in_review",
    to: "needs_info",
    event: "info_requested",
    button: "❓ Needs info",
    text: () => "Which floor was the flat on?",
    command: (c) => `/needinfo ${c.ref} Which floor was the flat on?`,
    reporterSees: /Модератор має питання щодо вашої заяви SV-[A-Z0-9-]+:\n\nWhich floor was the flat on\?/,
    needsContact: true,
  },
  {
    name: "duplicate",
    from: "in_review",
    to: "duplicate",
    event: "marked_duplicate",
    button: "🔁 Duplicate",
    text: (original) => original.ref,
    command: (c, original) => `/duplicate ${c.ref} ${original.ref}`,
    reporterSees: /ті самі події/,
  },
];

const statusLabels: Record<CaseStatus, string> = {
  new: "New",
  in_review: "In review",
  needs_info: "Waiting for the reporter",
  verified: "Verified",
  rejected: "Rejected",
  duplicate: "Duplicate",
  withdrawn: "Withdrawn by the reporter",
};

describe(`moderators act on cases on ${testDatabaseKind}`, () => {
  for (const scenario of scenarios) {
    for (const via of ["button", "command"] as const) {
      for (const contact of scenario.needsContact ? [true] : [true, false]) {
        it(`${scenario.name} by ${via}, contact ${contact ? "allowed" : "not allowed"}`, async () => {
          const reporter = await world.reporter({ contact, locale: "uk" });
          const original = await world.submit();
          const c = await world.submit({ reporter, locale: "uk" });
          if (scenario.from === "in_review") await takeCase(world.deps, { caseId: c.id, actorId: world.olena.id });
          const eventsBefore = (await eventsOf(world.svidok.db, c.id)).length;

          if (via === "button") {
            const tap = await press(olenaInGroup, await world.card(c.id), scenario.button);
            if (scenario.text) {
              const prompt = await olenaInGroup.waitForReply((r) => r.body.startsWith(`Olena, `) && r.body.includes(c.ref));
              expect(prompt.messages[0]?.entities?.[0]).toMatchObject({ type: "text_mention", offset: 0, length: 5, user: { id: world.olena.id } });
              await olenaInGroup.says(scenario.text(original), { replyTo: prompt.messageId });
              await olenaInGroup.waitForReply(c.ref);
            } else {
              expect((await olenaInGroup.callbackAnswer(tap)).text).toContain(c.ref);
            }
            await olenaInGroup.settled();
          } else {
            await world.olena.says(scenario.command(c, original));
            await world.olena.waitForReply(c.ref);
            await world.olena.settled();
          }

          const after = await world.svidok.db.selectFrom("cases").selectAll().where("id", "=", c.id).executeTakeFirstOrThrow();
          expect(after.status).toBe(scenario.to);
          const events = await eventsOf(world.svidok.db, c.id);
          expect(events.slice(eventsBefore).map((e) => [e.kind, e.actor_id])).toEqual([[scenario.event, world.olena.id]]);

          const card = await world.card(c.id);
          expect(card.edited).toBe(true);
          expect(card.text).toContain(statusLabels[scenario.to]);
          expect(card.text).toMatch(/— Olena, /);
          if (scenario.to === "duplicate") expect(card.text).toContain(`Duplicate of ${original.ref}`);

          const toReporter = reporter.user.drainReplies();
          if (scenario.reporterSees && contact) {
            expect(toReporter.map((r) => r.body)).toEqual([expect.stringMatching(scenario.reporterSees)]);
            expect(toReporter[0]!.body).not.toContain("Olena");
          } else {
            expect(toReporter).toEqual([]);
          }
        });
      }
    }
  }

  it("refuses to ask a reporter who did not allow contact, and changes nothing", async () => {
    const reporter = await world.reporter({ contact: false });
    const c = await world.submit({ reporter });
    await takeCase(world.deps, { caseId: c.id, actorId: world.olena.id });
    const before = await eventsOf(world.svidok.db, c.id);
    await world.olena.says(`/needinfo ${c.ref} Which floor?`);
    expect((await world.olena.waitForReply(c.ref)).body).toMatch(/did not allow follow-up questions/);
    const tap = await press(olenaInGroup, await world.card(c.id), "❓ Needs info");
    expect(await olenaInGroup.callbackAnswer(tap)).toMatchObject({ show_alert: true, text: expect.stringMatching(/did not allow/) });
    await olenaInGroup.settled();
    expect(await eventsOf(world.svidok.db, c.id)).toEqual(before);
    expect(await world.svidok.db.selectFrom("moderation_prompts").selectAll().where("case_id", "=", c.id).execute()).toEqual([]);
  });

  it("refuses a decision on a new case with the reason", async () => {
    const c = await world.submit();
    const tap = await press(olenaInGroup, await world.card(c.id), "✅ Verify");
    const answer = await olenaInGroup.callbackAnswer(tap);
    expect(answer.show_alert).toBe(true);
    expect(answer.text).toMatch(new RegExp(`Cannot verify ${c.ref}: it is New\\. Take it first`));
    await olenaInGroup.settled();
    expect((await eventsOf(world.svidok.db, c.id)).map((e) => e.kind)).toEqual(["submitted"]);
  });

  it("writes a viewed event when a case is opened by command or from its card", async () => {
    const c = await world.submit({ photos: [] });
    await world.taras.says(`/case ${c.ref}`);
    const full = await world.taras.waitForReply(c.ref);
    expect(full.buttons).toContain("✅ Verify");
    await world.taras.waitForReply(/History:\n.*submitted/);
    await world.taras.settled();
    const tarasInGroup = world.taras.inGroup(world.group);
    await press(tarasInGroup, await world.card(c.id), "📂 Details and history");
    await tarasInGroup.waitForReply(/History:/);
    await tarasInGroup.settled();
    const viewed = (await eventsOf(world.svidok.db, c.id)).filter((e) => e.kind === "viewed");
    expect(viewed.map((e) => e.actor_id)).toEqual([world.taras.id, world.taras.id]);
  });

  it("asks a second moderator to confirm a takeover, and logs it", async () => {
    const c = await world.submit();
    await press(olenaInGroup, await world.card(c.id), "🙋 Take");
    await olenaInGroup.settled();
    expect((await world.card(c.id)).text).toContain("Held by Olena since");

    const tarasInGroup = world.taras.inGroup(world.group);
    const before = (await eventsOf(world.svidok.db, c.id)).length;
    await press(tarasInGroup, await world.card(c.id), "✅ Verify");
    const question = await tarasInGroup.waitForReply(/is held by Olena since .* Take it over\?/);
    expect(question.buttons).toEqual(["Take over and verify", "Cancel"]);
    await tarasInGroup.settled();
    expect(await eventsOf(world.svidok.db, c.id)).toHaveLength(before);

    await tarasInGroup.tapsData(
      (question.inlineKeyboard[0]![0] as { callback_data: string }).callback_data,
      { messageId: question.messageId },
    );
    await tarasInGroup.settled();
    const events = (await eventsOf(world.svidok.db, c.id)).slice(before);
    expect(events.map((e) => [e.kind, e.actor_id, (e.data as { from?: number } | null)?.from])).toEqual([
      ["taken_over", world.taras.id, world.olena.id],
      ["verified", world.taras.id, undefined],
    ]);
    expect((await world.card(c.id)).text).toMatch(/Verified[\s\S]*— Taras, /);
  });

  it("a note needs no hold and is written to the log with its text", async () => {
    const c = await world.submit();
    await takeCase(world.deps, { caseId: c.id, actorId: world.olena.id });
    await world.taras.says(`/note ${c.ref} Same truck seen in SV-case of last week`);
    await world.taras.waitForReply(`Note added to ${c.ref}`);
    await world.taras.settled();
    expect((await eventsOf(world.svidok.db, c.id)).at(-1)).toMatchObject({
      kind: "note",
      actor_id: world.taras.id,
      text: "Same truck seen in SV-case of last week",
    });
  });

  it("lists the queue oldest first and pages through it", async () => {
    await world.olena.says("/queue new");
    const page = await world.olena.waitForReply(/Queue: New/);
    const refs = [...page.body.matchAll(/SV-[A-Z0-9]{4}-[A-Z0-9]{4}/g)].map((m) => m[0]);
    const expected = await world.svidok.db.selectFrom("cases").select("ref").where("status", "=", "new").orderBy("submitted_at").orderBy("id").limit(10).execute();
    expect(refs).toEqual(expected.map((r) => r.ref));
    if (page.buttons.includes("▶")) {
      await world.olena.taps("▶");
      const next = await world.olena.waitForReply((r) => r.edited && /Queue: New, 11–/.test(r.body));
      expect(next.buttons).toContain("◀");
    }
    await world.olena.says("/queue in_review");
    expect((await world.olena.waitForReply(/Queue: In review/)).body).toMatch(/SV-[A-Z0-9-]+ · In review · .* · held by Olena/);
    await world.olena.says("/queue lost");
    await world.olena.waitForReply(/Usage: \/queue \[status\]/);
  });

  it("staff find their commands in /help; nobody else does", async () => {
    await world.taras.says("/help");
    expect((await world.taras.nextReply()).body).toMatch(/^Staff commands[\s\S]*\/verify SV-XXXX-XXXX/);
    expect((await world.taras.nextReply()).body).toMatch(/^How to use Svidok/);
    await world.admin.says("/help");
    expect((await world.admin.nextReply()).body).toMatch(/Admin commands:\n\/staff/);
    const stranger = world.svidok.user({ languageCode: "en" });
    await stranger.says("/help");
    const help = await stranger.nextReply();
    expect(help.body).toMatch(/^How to use Svidok/);
    expect(help.body).not.toMatch(/verify|staff/i);
    await stranger.expectNoReply(100);
  });

  it("counts cases in /stats", async () => {
    await world.olena.says("/stats");
    const stats = await world.olena.waitForReply(/Cases: \d+/);
    const total = await world.svidok.db.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(stats.body).toContain(`Cases: ${Number(total.n)}`);
    expect(stats.body).toMatch(/By status:[\s\S]*\n  In review: \d+/);
    expect(stats.body).toMatch(/By region:/);
    expect(stats.body).toMatch(/By week of submission/);
    expect(stats.body).toMatch(/By item category:\n  Electronics: \d+ cases, \d+ items/);
    expect(stats.body).toMatch(/Median time from submission to the first moderator action: \d+ min/);
  });
});
