import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeCase } from "../../src/cases/moderation.js";
import { caseActions, packCaseButton, packQueueButton } from "../../src/bot/features/moderation/callback-data.js";
import type { Case } from "../../src/db/types.js";
import type { TelegramUser } from "../harness/telegram-user.js";
import { testDatabaseKind } from "../helpers/test-database.js";
import { addStaff, snapshot } from "./fixtures.js";
import { type ModerationWorld, startModerationWorld } from "./world.js";

let world: ModerationWorld;
let inReview: Case;
let fresh: Case;

beforeAll(async () => {
  world = await startModerationWorld();
  fresh = await world.submit();
  inReview = await world.submit();
  await takeCase(world.deps, { caseId: inReview.id, actorId: world.olena.id });
});

// Each check uses people of its own: the flood limit counts every person's updates, and a check sends many.
function newStranger(): TelegramUser {
  return world.svidok.user({ firstName: "Stranger", languageCode: "en" });
}

/** A moderator an admin has just removed with /staff remove. */
async function newRemoved(): Promise<TelegramUser> {
  const removed = world.svidok.user({ firstName: "Former", languageCode: "uk" });
  await addStaff(world.svidok.db, removed.id, "moderator", "Former");
  await world.admin.says(`/staff remove ${removed.id}`);
  await world.admin.waitForReply(`${removed.id} is no longer staff.`);
  await world.admin.settled();
  return removed;
}

async function started(user: TelegramUser): Promise<TelegramUser> {
  await user.says("/start");
  await user.nextReply();
  await user.settled();
  return user;
}

afterAll(async () => {
  await world?.stop();
});

/** Every staff command with arguments that would do something for someone allowed. */
const moderatorCommands = (c: Case, other: Case) => [
  "/queue",
  "/queue new",
  `/case ${c.ref}`,
  `/take ${c.ref}`,
  `/verify ${c.ref}`,
  `/reject ${c.ref} not credible`,
  `/duplicate ${c.ref} ${other.ref}`,
  `/needinfo ${c.ref} which floor?`,
  `/note ${c.ref} a note`,
  `/find ${c.ref}`,
  "/stats",
];
const adminCommands = (id: number) => ["/staff", `/staff add ${id} admin`, `/staff remove ${id}`];

/** The reply to a command that does not exist, from this person in this chat: what every refusal must look like. */
async function unknownCommandReply(user: TelegramUser): Promise<string> {
  await user.says("/frobnicate");
  const reply = await user.nextReply();
  await user.settled();
  return reply.body;
}

async function expectRefusedLikeUnknown(user: TelegramUser, commands: string[]): Promise<void> {
  user.drainReplies();
  const baseline = await unknownCommandReply(user);
  expect(baseline).toMatch(/don't know this command|не знаю такої команди/i);
  for (const command of commands) {
    const before = await snapshot(world.svidok.db);
    await user.says(command);
    const reply = await user.nextReply();
    await user.settled();
    expect({ command, reply: reply.body, buttons: reply.buttons }).toEqual({ command, reply: baseline, buttons: [] });
    await user.expectNoReply(50);
    expect(await snapshot(world.svidok.db)).toEqual(before);
  }
}

/** Every staff button: each case action on a real case, and a queue page. */
const staffButtons = (c: Case) => [
  ...Object.keys(caseActions).map((action) => packCaseButton({ action: action as keyof typeof caseActions, caseId: c.id })),
  packQueueButton({ filter: "open", offset: 0 }),
  packQueueButton({ filter: "new", offset: 10 }),
];

async function staleButtonAnswer(user: TelegramUser): Promise<string | undefined> {
  const tap = await user.tapsData("no-such-feature:42");
  const answer = await user.callbackAnswer(tap);
  await user.settled();
  return answer.text;
}

/** The database is compared once around all the presses: any change a press made would still be there. */
async function expectButtonsRefused(user: TelegramUser, data: string[]): Promise<void> {
  user.drainReplies();
  const baseline = await staleButtonAnswer(user);
  const before = await snapshot(world.svidok.db);
  for (const d of data) {
    const tap = await user.tapsData(d);
    const answer = await user.callbackAnswer(tap);
    await user.settled();
    expect({ d, text: answer.text, alert: answer.show_alert }).toEqual({ d, text: baseline, alert: undefined });
  }
  await user.expectNoReply(50);
  expect(await snapshot(world.svidok.db)).toEqual(before);
}

describe(`authorisation of staff commands and buttons on ${testDatabaseKind}`, () => {
  it("a stranger in a private chat gets the unknown-command reply for every staff command", async () => {
    const stranger = await started(newStranger());
    await expectRefusedLikeUnknown(stranger, [...moderatorCommands(inReview, fresh), ...adminCommands(stranger.id)]);
  });

  it("a stranger in the moderators' group gets the unknown-command reply for every staff command", async () => {
    const stranger = newStranger();
    await expectRefusedLikeUnknown(stranger.inGroup(world.group), [
      ...moderatorCommands(inReview, fresh),
      ...adminCommands(stranger.id),
    ]);
  });

  it("a removed moderator is refused in private and in the group", async () => {
    const inPrivate = await started(await newRemoved());
    await expectRefusedLikeUnknown(inPrivate, [...moderatorCommands(fresh, inReview), ...adminCommands(inPrivate.id)]);
    const inGroup = (await newRemoved()).inGroup(world.group);
    await expectRefusedLikeUnknown(inGroup, [...moderatorCommands(fresh, inReview), ...adminCommands(inGroup.id)]);
  });

  it("a moderator is refused the admin commands, in private and in the group", async () => {
    await expectRefusedLikeUnknown(world.taras, adminCommands(world.taras.id));
    await expectRefusedLikeUnknown(world.taras.inGroup(world.group), adminCommands(world.taras.id));
  });

  it("a moderator is refused in a group that is not the moderators' group", async () => {
    const elsewhere = world.api.createGroup("Some other group");
    await expectRefusedLikeUnknown(world.taras.inGroup(elsewhere), moderatorCommands(fresh, inReview).slice(0, 4));
  });

  for (const which of ["a case in review", "a new case"] as const) {
    it(`every staff button on ${which}, pressed by a stranger or a removed moderator, is refused like a stale button`, async () => {
      const c = which === "a new case" ? fresh : inReview;
      await expectButtonsRefused(newStranger().inGroup(world.group), staffButtons(c));
      await expectButtonsRefused(await started(newStranger()), staffButtons(c));
      await expectButtonsRefused((await newRemoved()).inGroup(world.group), staffButtons(c));
      await expectButtonsRefused(await started(await newRemoved()), staffButtons(c));
    });
  }

  it("a removed moderator's reply to an old prompt does nothing", async () => {
    const removed = world.svidok.user({ firstName: "Former", languageCode: "uk" });
    const formerInGroup = removed.inGroup(world.group);
    formerInGroup.drainReplies();
    await addStaff(world.svidok.db, removed.id, "moderator", "Former");
    const c = await world.submit();
    await takeCase(world.deps, { caseId: c.id, actorId: removed.id });
    await formerInGroup.tapsData(packCaseButton({ action: "reject", caseId: c.id }));
    const prompt = await formerInGroup.waitForReply(/^Former, чому SV-.* відхилено\?/);
    await formerInGroup.settled();
    await world.admin.says(`/staff remove ${removed.id}`);
    await world.admin.waitForReply(`${removed.id} is no longer staff.`);
    await world.admin.settled();
    const before = await snapshot(world.svidok.db);
    await formerInGroup.says("Not credible", { replyTo: prompt.messageId });
    await formerInGroup.settled();
    await formerInGroup.expectNoReply(50);
    expect(await snapshot(world.svidok.db)).toEqual(before);
  });

  it("an admin manages staff, and every change is audited", async () => {
    const newcomer = world.svidok.user({ firstName: "Newcomer" });
    await world.admin.says(`/staff add ${newcomer.id} moderator`);
    await world.admin.waitForReply(`${newcomer.id} is now moderator`);
    await world.admin.says("/staff");
    const list = await world.admin.waitForReply(/Staff \(\d+\):/);
    expect(list.body).toContain(`${world.admin.id} · Iryna · admin`);
    expect(list.body).toContain("(from ADMIN_IDS)");
    expect(list.body).toContain(`${newcomer.id} · — · moderator`);
    await world.admin.says(`/staff remove ${world.admin.id}`);
    await world.admin.waitForReply("You cannot remove yourself.");
    await world.admin.says(`/staff remove ${newcomer.id}`);
    await world.admin.waitForReply(`${newcomer.id} is no longer staff.`);
    await world.admin.settled();
    const events = await world.svidok.db
      .selectFrom("case_events")
      .select(["kind", "actor_id", "data"])
      .where("case_id", "is", null)
      .where("kind", "in", ["staff_added", "staff_removed"])
      .orderBy("id")
      .execute();
    expect(events.slice(-2)).toEqual([
      { kind: "staff_added", actor_id: world.admin.id, data: { userId: newcomer.id, role: "moderator", previousRole: null } },
      { kind: "staff_removed", actor_id: world.admin.id, data: { userId: newcomer.id, role: "moderator" } },
    ]);
  });
});

describe(`forged callback data on ${testDatabaseKind}`, () => {
  it("changes nothing and raises no unhandled error, whoever presses", async () => {
    const noise = randomBytes(64);
    const forged = [
      packCaseButton({ action: "verify", caseId: randomUUID() }),
      packCaseButton({ action: "takeover_verify", caseId: randomUUID() }),
      `m:q:${inReview.id}`,
      `m:v:${inReview.id.toUpperCase()}`,
      `m:v:${inReview.id}:extra`,
      `m:v:${inReview.id.slice(0, 30)}`,
      "m:v:'; drop table cases; --",
      "q:lost:0",
      "q:open:99999999",
      "q:open:-1",
      "%%%garbage%%%",
      "",
      noise.toString("latin1").slice(0, 64),
      noise.toString("base64").slice(0, 64),
    ];
    const olenaInGroup = world.olena.inGroup(world.group);
    const errorsBefore = world.logs.filter((l) => l.msg === "handler failed").length;
    const people = [olenaInGroup, await started(world.olena), newStranger().inGroup(world.group), await started(newStranger())];
    for (const user of people) {
      user.drainReplies();
      for (const data of forged) {
        const before = await snapshot(world.svidok.db);
        const tap = await user.tapsData(data);
        const answer = await user.callbackAnswer(tap);
        await user.settled();
        expect(answer).toBeDefined();
        expect(await snapshot(world.svidok.db)).toEqual(before);
      }
      for (const reply of user.drainReplies()) expect(reply.body).not.toMatch(/something went wrong/i);
    }
    expect(world.logs.filter((l) => l.msg === "handler failed").length).toBe(errorsBefore);
    expect(world.api.unansweredCallbackQueries).toEqual([]);
  });

  it("a real moderator pressing a button for a case that does not exist is told so", async () => {
    const olenaInGroup = world.olena.inGroup(world.group);
    const tap = await olenaInGroup.tapsData(packCaseButton({ action: "take", caseId: randomUUID() }));
    expect(await olenaInGroup.callbackAnswer(tap)).toMatchObject({ text: "This case does not exist.", show_alert: true });
    await olenaInGroup.settled();
  });
});
