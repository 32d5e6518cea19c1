import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { createI18n } from "../../src/bot/i18n.js";
import type { Db } from "../../src/db/connect.js";
import type { Locale } from "../../src/db/types.js";
import type { Reply } from "../harness/fake-bot-api.js";
import { corpusDir } from "../media/corpus.js";
import type { TelegramUser } from "../harness/telegram-user.js";

const i18n = createI18n("uk");

export type T = (key: string, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): T {
  return (key, vars) => i18n.t(locale, key, vars);
}

export { corpusDir };

export function corpus(name: string): Promise<Buffer> {
  return readFile(path.join(corpusDir, name));
}

/** The reply must start with the translated text of `key`: the question or explanation the person reads. */
export async function expectText(user: TelegramUser, t: T, key: string, vars?: Record<string, string | number>): Promise<Reply> {
  const expected = t(key, vars);
  const reply = await user.nextReply({ timeoutMs: 10_000 });
  expect(reply.body.startsWith(expected), `expected "${expected.slice(0, 60)}…", got "${reply.body.slice(0, 200)}"`).toBe(true);
  return reply;
}

/** A wrong answer: the explanation comes first, then the same question again, in one message. */
export async function expectRetry(user: TelegramUser, t: T, errorKey: string, questionKey: string, vars?: Record<string, string | number>): Promise<Reply> {
  const reply = await expectText(user, t, errorKey, vars);
  expect(reply.body).toContain(t(questionKey, vars).slice(0, 40));
  return reply;
}

/** From /new to the question about who did it, with a short valid report. */
/** From /new to the question about where it happened, as a witness. */
export async function reportUntilLocation(user: TelegramUser, t: T): Promise<void> {
  await user.says("/new");
  await expectText(user, t, "intake-consent-question", { version: "2026-01" });
  await user.taps(t("intake-consent-agree"));
  await expectText(user, t, "intake-role-question");
  await user.taps(t("intake-role-witness"));
  await expectText(user, t, "intake-location-question");
}

export async function reportUntilPerpetrators(user: TelegramUser, t: T): Promise<void> {
  await reportUntilLocation(user, t);
  await user.says("Ірпінь, вул. Соборна 1");
  await expectText(user, t, "intake-region-question");
  await user.taps(t("intake-region-kyivska"));
  await expectText(user, t, "intake-date-question");
  await user.taps(t("intake-date-unknown"));
  await expectText(user, t, "intake-item-category-question", { number: 1 });
  await user.taps(t("intake-category-appliances"));
  await expectText(user, t, "intake-item-description-question", { number: 1, category: t("intake-category-appliances") });
  await user.says("Bosch washing machine");
  await expectText(user, t, "intake-item-quantity-question");
  await user.taps("1");
  await expectText(user, t, "intake-item-value-question");
  await user.taps(t("intake-button-skip"));
  await expectText(user, t, "intake-item-identifier-question");
  await user.taps(t("intake-button-skip"));
  await expectText(user, t, "intake-item-more-question", { count: 1, last: "Bosch washing machine" });
  await user.taps(t("intake-item-more-done"));
  await expectText(user, t, "intake-perpetrators-question");
}

/** From /new to the photos question, with a short valid report. */
export async function reportUntilPhotos(user: TelegramUser, t: T): Promise<void> {
  await reportUntilPerpetrators(user, t);
  await user.taps(t("intake-button-skip"));
  await expectText(user, t, "intake-photos-question", { max: 20 });
}

/** From the photos question to the review. */
export async function finishFromPhotos(user: TelegramUser, t: T, done: "done" | "skip" = "skip"): Promise<Reply[]> {
  await user.taps(done === "done" ? t("intake-photos-done") : t("intake-button-skip"));
  await expectText(user, t, "intake-narrative-question", { max: 4000 });
  await user.taps(t("intake-button-skip"));
  await expectText(user, t, "intake-contact-question");
  await user.taps(t("intake-contact-no"));
  return readReview(user, t);
}

/** The summary messages up to the question under them. */
export async function readReview(user: TelegramUser, t: T): Promise<Reply[]> {
  const parts: Reply[] = [];
  for (;;) {
    const reply = await user.nextReply({ timeoutMs: 10_000 });
    parts.push(reply);
    if (reply.body.startsWith(t("intake-review-question"))) return parts;
    if (parts.length > 10) throw new Error("no review question");
  }
}

export async function submit(user: TelegramUser, t: T): Promise<string> {
  await user.taps(t("intake-review-submit"));
  const reply = await user.nextReply({ timeoutMs: 10_000 });
  const ref = /SV-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(reply.body)?.[0];
  expect(ref, reply.body).toBeDefined();
  expect(reply.body).toBe(t("intake-submitted", { ref: ref! }));
  return ref!;
}

export async function caseByRef(db: Db, ref: string) {
  const c = await db.selectFrom("cases").selectAll().where("ref", "=", ref).executeTakeFirstOrThrow();
  const items = await db.selectFrom("case_items").selectAll().where("case_id", "=", c.id).orderBy("position").execute();
  const photos = await db.selectFrom("photos").selectAll().where("case_id", "=", c.id).orderBy("created_at").execute();
  const events = await db.selectFrom("case_events").selectAll().where("case_id", "=", c.id).orderBy("id").execute();
  return { case: c, items, photos, events };
}

export async function draftOf(db: Db, draftKeyPrefix?: string) {
  let query = db.selectFrom("drafts").selectAll();
  if (draftKeyPrefix) query = query.where("draft_key", "like", `${draftKeyPrefix}%`);
  return query.execute();
}
