import { submitDraft } from "../../../cases/submit.js";
import { type DraftAnswers, type DraftItem, sections, type Section } from "../../../cases/draft.js";
import { countDraftPhotos } from "../../../db/photos.js";
import { sealContact } from "../../../privacy/contact-cipher.js";
import type { Translate } from "../../i18n.js";
import { type Button, type Question, packMessages } from "./question.js";
import type { Json, StageSpec } from "./stage.js";

type ReviewView = { answers: Json; photos: number };

const sectionOrder = Object.keys(sections) as Section[];

export function formatIncidentDate(t: Translate, date: string | null | undefined, precision: string | undefined): string {
  if (!date || precision === "unknown" || !precision) return t("intake-summary-date-unknown");
  const [year, month, day] = date.split("-");
  return precision === "month" ? `${month}.${year}` : `${day}.${month}.${year}`;
}

function formatItem(t: Translate, item: DraftItem, position: number): string {
  const parts = [`${position}. ${t(`intake-category-${item.category}`)}: ${item.description}`];
  if (item.quantity !== 1) parts.push(t("intake-summary-quantity", { quantity: item.quantity }));
  if (item.valueAmount) parts.push(t("intake-summary-value", { amount: item.valueAmount, currency: item.valueCurrency ?? "" }));
  if (item.identifier) {
    const kind = t(`intake-identifier-kind-${item.identifierKind ?? "serial"}`);
    parts.push(
      item.identifierValid === false
        ? t("intake-summary-identifier-unchecked", { kind, identifier: item.identifier })
        : t("intake-summary-identifier", { kind, identifier: item.identifier }),
    );
  }
  return parts.join("\n   ");
}

/** Everything the person entered, in the order they entered it, cut into messages Telegram accepts. */
export function summaryMessages(t: Translate, answers: DraftAnswers, photos: number): string[] {
  const place: string[] = [];
  if (answers.address) place.push(answers.address);
  if (answers.latitude !== undefined && answers.longitude !== undefined) {
    place.push(t("intake-summary-pin", { latitude: answers.latitude.toFixed(5), longitude: answers.longitude.toFixed(5) }));
  }
  const head = [
    t("intake-summary-title"),
    `${t("intake-summary-role")}: ${answers.role ? t(`intake-role-${answers.role}`) : "—"}`,
    `${t("intake-summary-place")}: ${place.join(", ") || "—"}`,
    `${t("intake-summary-region")}: ${answers.region ? t(`intake-region-${answers.region}`) : "—"}`,
    `${t("intake-summary-date")}: ${formatIncidentDate(t, answers.incidentDate, answers.datePrecision)}`,
  ].join("\n");
  const items = [
    t("intake-summary-items", { count: answers.items.length }),
    ...answers.items.map((item, index) => formatItem(t, item, index + 1)),
  ];
  const perpetrators: string[] = [];
  if (answers.perpetratorUnits) perpetrators.push(`${t("intake-summary-perp-units")}: ${answers.perpetratorUnits}`);
  if (answers.perpetratorVehicles) perpetrators.push(`${t("intake-summary-perp-vehicles")}: ${answers.perpetratorVehicles}`);
  if (answers.perpetratorCount) perpetrators.push(`${t("intake-summary-perp-count")}: ${answers.perpetratorCount}`);
  if (answers.perpetratorWords) perpetrators.push(`${t("intake-summary-perp-words")}: ${answers.perpetratorWords}`);
  const tail = [
    `${t("intake-summary-perpetrators")}: ${perpetrators.length ? `\n${perpetrators.join("\n")}` : "—"}`,
    `${t("intake-summary-photos")}: ${photos}`,
    `${t("intake-summary-contact")}: ${t(answers.contactAllowed ? "intake-contact-yes" : "intake-contact-no")}`,
  ].join("\n");
  const narrative = answers.narrative ? `${t("intake-summary-narrative")}:\n${answers.narrative}` : `${t("intake-summary-narrative")}: —`;
  return packMessages([head, items.join("\n"), tail, narrative]);
}

function mainQuestion(t: Translate, preamble?: string[]): Question {
  return {
    text: t("intake-review-question"),
    rows: [
      [{ label: t("intake-review-submit"), value: "submit" }],
      [{ label: t("intake-review-edit"), value: "edit" }],
      [{ label: t("intake-review-cancel"), value: "cancel" }],
    ],
    ...(preamble ? { preamble } : {}),
  };
}

export const reviewStage: StageSpec<ReviewView> = {
  step: "review",
  view: async (answers, { db, draftKey }) => ({
    answers: answers as unknown as Json,
    photos: await countDraftPhotos(db, draftKey),
  }),
  question: (t, view) => mainQuestion(t, summaryMessages(t, view.answers as unknown as DraftAnswers, view.photos)),
  followUp: (t, _view, pending) => {
    if (pending !== "edit") return mainQuestion(t);
    const buttons: Button[] = sectionOrder.map((s) => ({ label: t(`intake-section-${s}`), value: `edit_${s}` }));
    const rows: Button[][] = [];
    for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
    return { text: t("intake-review-edit-question"), rows: [...rows, [{ label: t("intake-review-back"), value: "menu" }]] };
  },
  async accept(answer, { answers, draftKey, locale, outer }) {
    if (answer.kind !== "button") return { kind: "retry", error: "intake-error-review-buttons" };
    const value = answer.value;
    if (value === "edit") return { kind: "follow_up", pending: "edit" };
    if (value === "menu") return { kind: "follow_up", pending: null };
    if (value === "cancel") return { kind: "confirm_cancel" };
    const section = sectionOrder.find((s) => value === `edit_${s}`);
    if (section) return { kind: "save", answers: { ...answers, returnToReview: true }, next: sections[section] };
    if (value !== "submit") return { kind: "retry", error: "intake-error-review-buttons" };
    const chatId = outer.chat?.id;
    const result = await submitDraft(outer.app.db, {
      draftKey,
      locale,
      ...(chatId !== undefined ? { contact: sealContact(chatId, outer.app.keys.dataKey) } : {}),
    });
    switch (result.kind) {
      case "submitted":
        outer.app.logger.info({ reporter: outer.pseudonym, caseId: result.caseId, photos: result.photos }, "case submitted");
        return { kind: "finish", message: "intake-submitted", vars: { ref: result.ref }, notifyCaseId: result.caseId, confirmsSent: true };
      case "already_submitted":
        return { kind: "finish", message: "intake-submitted", vars: { ref: result.ref }, confirmsSent: true };
      case "incomplete":
        return { kind: "save", answers: { ...answers, returnToReview: true }, next: result.step };
      case "no_draft":
        return { kind: "finish", message: "intake-error-no-draft" };
    }
  },
};
