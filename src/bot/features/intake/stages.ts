import type { I18n } from "@grammyjs/i18n";
import { parseMoney, parseCurrency, parseQuantity } from "../../../cases/amounts.js";
import { validCoordinates } from "../../../cases/coordinates.js";
import { parseIncidentDate } from "../../../cases/dates.js";
import { type DraftAnswers, type DraftItem, MAX_ITEMS, categoryOrder } from "../../../cases/draft.js";
import { parseIdentifier } from "../../../cases/identifiers.js";
import { matchRegion, type RegionCode, regions } from "../../../cases/regions.js";
import { cleanText, MAX_ANSWER_LENGTH, MAX_NARRATIVE_LENGTH } from "../../../cases/text.js";
import { currencies, type Currency, locales, reporterRoles } from "../../../db/types.js";
import type { BotContext } from "../../context.js";
import type { Button } from "./question.js";
import type { Answer, Json, Outcome, StageSpec } from "./stage.js";

const SKIP = "skip";
const MAX_PERPETRATOR_COUNT = 100_000;

const yesWords = ["yes", "y", "так", "та", "ок", "ok", "добре", "згоден", "згодна", "agree"] as const;
const noWords = ["no", "n", "ні", "нет", "не"] as const;
const skipWords = ["skip", "пропустити", "далі", "-", "немає", "нема", "none", "no"] as const;

function pairs(buttons: Button[]): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

/** A step that expects words gets a photo, a sticker or a pin: explained in the person's language. */
function notText(answer: Answer): Outcome {
  if (answer.kind === "photo" || answer.kind === "document") return { kind: "retry", error: "intake-error-photo-here" };
  return { kind: "retry", error: "intake-error-text-expected" };
}

function textAnswer(answer: Answer, max: number): Outcome | string {
  if (answer.kind !== "text") return notText(answer);
  const cleaned = cleanText(answer.text, max);
  if (cleaned.ok) return cleaned.value;
  return cleaned.problem === "empty"
    ? { kind: "retry", error: "intake-error-empty" }
    : { kind: "retry", error: "intake-error-too-long", vars: { max, length: cleaned.length } };
}

function withItem(answers: DraftAnswers, patch: Partial<DraftItem>): DraftAnswers {
  return { ...answers, currentItem: { ...answers.currentItem, ...patch } };
}

/** The item being described is complete once its identifier is answered: it joins the list then. */
function finishItem(answers: DraftAnswers, patch: Partial<DraftItem>): Outcome {
  const item = { ...answers.currentItem, ...patch };
  if (!item.category) return { kind: "save", answers: withItem(answers, patch), next: "item_category" };
  if (!item.description) return { kind: "save", answers: withItem(answers, patch), next: "item_description" };
  if (answers.items.length >= MAX_ITEMS) return { kind: "save", answers: { ...answers, currentItem: undefined }, next: "item_more" };
  const complete: DraftItem = {
    category: item.category,
    description: item.description,
    quantity: item.quantity ?? 1,
    valueAmount: item.valueAmount ?? null,
    valueCurrency: item.valueAmount ? (item.valueCurrency ?? null) : null,
    identifier: item.identifier ?? null,
    identifierKind: item.identifier ? (item.identifierKind ?? "serial") : null,
    identifierValid: item.identifier ? (item.identifierValid ?? true) : null,
  };
  return { kind: "save", answers: { ...answers, items: [...answers.items, complete], currentItem: undefined } };
}

export function regionNames(i18n: I18n<BotContext>): Map<RegionCode, string[]> {
  return new Map(regions.map((r) => [r.code, locales.map((l) => i18n.t(l, `intake-region-${r.code}`))]));
}

type View = { [key: string]: Json };

export function createStages(i18n: I18n<BotContext>): StageSpec<View>[] {
  const names = regionNames(i18n);

  const role: StageSpec<View> = {
    step: "role",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-role-question"),
      rows: reporterRoles.map((r) => [{ label: t(`intake-role-${r}`), value: r }]),
    }),
    accept(answer, { answers }) {
      if (answer.kind === "button" && (reporterRoles as readonly string[]).includes(answer.value)) {
        return { kind: "save", answers: { ...answers, role: answer.value as DraftAnswers["role"] } };
      }
      return { kind: "retry", error: "intake-error-choose-button" };
    },
  };

  const location: StageSpec<View> = {
    step: "location",
    view: () => ({}),
    question: (t) => ({ text: t("intake-location-question"), rows: [] }),
    accept(answer, { answers }) {
      if (answer.kind === "location") {
        const point = validCoordinates(answer.latitude, answer.longitude);
        if (!point) return { kind: "retry", error: "intake-error-coordinates" };
        const address = answer.address ? cleanText(answer.address, MAX_ANSWER_LENGTH) : undefined;
        return {
          kind: "save",
          answers: { ...answers, ...point, address: address?.ok ? address.value : undefined },
        };
      }
      const text = textAnswer(answer, MAX_ANSWER_LENGTH);
      if (typeof text !== "string") return answer.kind === "text" ? text : { kind: "retry", error: "intake-error-location" };
      if ([...text].length < 2) return { kind: "retry", error: "intake-error-address-short" };
      return { kind: "save", answers: { ...answers, address: text, latitude: undefined, longitude: undefined } };
    },
  };

  const region: StageSpec<View> = {
    step: "region",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-region-question"),
      rows: pairs(regions.map((r) => ({ label: t(`intake-region-${r.code}`), value: r.code }))),
    }),
    accept(answer, { answers }) {
      let code: RegionCode | undefined;
      if (answer.kind === "button") code = regions.find((r) => r.code === answer.value)?.code;
      else if (answer.kind === "text") code = matchRegion(answer.text, names);
      if (!code) return { kind: "retry", error: answer.kind === "text" ? "intake-error-region" : "intake-error-choose-button" };
      return { kind: "save", answers: { ...answers, region: code } };
    },
  };

  const date: StageSpec<View> = {
    step: "date",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-date-question"),
      rows: [
        [
          { label: t("intake-date-today"), value: "today" },
          { label: t("intake-date-yesterday"), value: "yesterday" },
        ],
        [{ label: t("intake-date-unknown"), value: "unknown" }],
      ],
    }),
    accept(answer, { answers, now }) {
      let text: string;
      if (answer.kind === "button") text = answer.value;
      else if (answer.kind === "text") text = answer.text;
      else return notText(answer);
      const parsed = parseIncidentDate(text, now);
      if (!parsed.ok) return { kind: "retry", error: `intake-error-date-${parsed.problem}` };
      return {
        kind: "save",
        answers: { ...answers, incidentDate: parsed.value.date, datePrecision: parsed.value.precision },
      };
    },
  };

  const itemCategory: StageSpec<View> = {
    step: "item_category",
    view: (answers) => ({ number: answers.items.length + 1 }),
    question: (t, view) => ({
      text: t("intake-item-category-question", { number: view.number as number }),
      rows: pairs(categoryOrder.map((c) => ({ label: t(`intake-category-${c}`), value: c }))),
    }),
    accept(answer, { answers }) {
      if (answers.items.length >= MAX_ITEMS) return { kind: "save", answers, next: "item_more" };
      const category = categoryOrder.find((c) => answer.kind === "button" && c === answer.value);
      if (!category) return { kind: "retry", error: "intake-error-choose-button" };
      return { kind: "save", answers: { ...answers, currentItem: { category } } };
    },
  };

  const itemDescription: StageSpec<View> = {
    step: "item_description",
    view: (answers) => ({ number: answers.items.length + 1, category: answers.currentItem?.category ?? "other" }),
    question: (t, view) => ({
      text: t("intake-item-description-question", {
        number: view.number as number,
        category: t(`intake-category-${view.category as string}`),
      }),
      rows: [],
    }),
    accept(answer, { answers }) {
      const text = textAnswer(answer, MAX_ANSWER_LENGTH);
      if (typeof text !== "string") return text;
      return { kind: "save", answers: withItem(answers, { description: text }) };
    },
  };

  const itemQuantity: StageSpec<View> = {
    step: "item_quantity",
    view: () => ({}),
    question: (t) => ({ text: t("intake-item-quantity-question"), rows: [[{ label: "1", value: "1" }]] }),
    accept(answer, { answers }) {
      const text = answer.kind === "button" ? answer.value : answer.kind === "text" ? answer.text : undefined;
      if (text === undefined) return notText(answer);
      const parsed = parseQuantity(text);
      if (!parsed.ok) return { kind: "retry", error: `intake-error-quantity-${parsed.problem}` };
      return { kind: "save", answers: withItem(answers, { quantity: parsed.value }) };
    },
  };

  const currencyRow = (): Button[] => currencies.map((c) => ({ label: c, value: `cur_${c}` }));
  const itemValue: StageSpec<View> = {
    step: "item_value",
    view: () => ({}),
    question: (t) => ({ text: t("intake-item-value-question"), rows: [[{ label: t("intake-button-skip"), value: SKIP }]] }),
    followUp: (t, _view, pending) => ({
      text: t("intake-item-value-currency", { amount: (pending as { amount: string }).amount }),
      rows: [currencyRow()],
    }),
    synonyms: { [SKIP]: skipWords },
    accept(answer, { answers, pending }) {
      if (answer.kind === "button" && answer.value === SKIP) {
        return { kind: "save", answers: withItem(answers, { valueAmount: null, valueCurrency: null }) };
      }
      const waiting = pending as { amount: string } | undefined;
      if (waiting) {
        const currency =
          answer.kind === "button" && answer.value.startsWith("cur_")
            ? (currencies.find((c) => `cur_${c}` === answer.value) as Currency | undefined)
            : answer.kind === "text"
              ? parseCurrency(answer.text)
              : undefined;
        if (currency) return { kind: "save", answers: withItem(answers, { valueAmount: waiting.amount, valueCurrency: currency }) };
        const retyped = answer.kind === "text" ? parseMoney(answer.text) : undefined;
        if (!retyped?.ok) return { kind: "retry", error: "intake-error-currency", keep: true };
      }
      if (answer.kind !== "text") return notText(answer);
      const parsed = parseMoney(answer.text);
      if (!parsed.ok) return { kind: "retry", error: `intake-error-value-${parsed.problem}` };
      if (!parsed.value.currency) return { kind: "follow_up", pending: { amount: parsed.value.amount } };
      return {
        kind: "save",
        answers: withItem(answers, { valueAmount: parsed.value.amount, valueCurrency: parsed.value.currency }),
      };
    },
  };

  const itemIdentifier: StageSpec<View> = {
    step: "item_identifier",
    view: (answers) => ({ category: answers.currentItem?.category ?? "other" }),
    question: (t, view) => ({
      text: t(view.category === "vehicle" ? "intake-item-identifier-question-vehicle" : "intake-item-identifier-question"),
      rows: [[{ label: t("intake-button-skip"), value: SKIP }]],
    }),
    followUp: (t, _view, pending) => {
      const p = pending as { identifier: string; problem: string };
      return {
        text: t(`intake-identifier-warning-${p.problem}`, { identifier: p.identifier }),
        rows: [
          [{ label: t("intake-identifier-keep"), value: "keep" }],
          [{ label: t("intake-identifier-retype"), value: "retype" }],
        ],
      };
    },
    synonyms: { [SKIP]: skipWords },
    accept(answer, { answers, pending }) {
      if (answer.kind === "button" && answer.value === SKIP) {
        return finishItem(answers, { identifier: null, identifierKind: null, identifierValid: null });
      }
      const waiting = pending as { identifier: string; kind: "imei" | "vin" | "serial"; problem: string } | undefined;
      if (waiting && answer.kind === "button" && answer.value === "keep") {
        return finishItem(answers, { identifier: waiting.identifier, identifierKind: waiting.kind, identifierValid: false });
      }
      if (waiting && answer.kind === "button" && answer.value === "retype") {
        return { kind: "retry", error: "intake-identifier-type-again" };
      }
      if (answer.kind !== "text") return notText(answer);
      const parsed = parseIdentifier(answer.text, answers.currentItem?.category);
      if (!parsed.ok) {
        return parsed.problem === "too_long"
          ? { kind: "retry", error: "intake-error-identifier-too-long" }
          : { kind: "retry", error: "intake-error-empty" };
      }
      const { value } = parsed;
      if (!value.valid && value.problem) {
        return { kind: "follow_up", pending: { identifier: value.identifier, kind: value.kind, problem: value.problem } };
      }
      return finishItem(answers, { identifier: value.identifier, identifierKind: value.kind, identifierValid: value.valid });
    },
  };

  const itemMore: StageSpec<View> = {
    step: "item_more",
    view: (answers) => ({ count: answers.items.length, last: answers.items.at(-1)?.description ?? "" }),
    question: (t, view) => {
      const count = view.count as number;
      const full = count >= MAX_ITEMS;
      return {
        text: full
          ? t("intake-item-more-full", { count, max: MAX_ITEMS })
          : t("intake-item-more-question", { count, last: view.last as string }),
        rows: [
          ...(full ? [] : [[{ label: t("intake-item-more-add"), value: "add" }]]),
          [{ label: t("intake-item-more-done"), value: "done" }],
        ],
      };
    },
    accept(answer, { answers }) {
      if (answer.kind === "button" && answer.value === "add") {
        if (answers.items.length >= MAX_ITEMS) return { kind: "retry", error: "intake-error-items-full" };
        return { kind: "save", answers: { ...answers, currentItem: undefined }, next: "item_category" };
      }
      if (answer.kind === "button" && answer.value === "done") {
        if (answers.items.length === 0) return { kind: "save", answers, next: "item_category" };
        return { kind: "save", answers };
      }
      return { kind: "retry", error: "intake-error-choose-button" };
    },
  };

  const perpetrators: StageSpec<View> = {
    step: "perpetrators",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-perpetrators-question"),
      rows: [[{ label: t("intake-perpetrators-tell"), value: "tell" }], [{ label: t("intake-button-skip"), value: SKIP }]],
    }),
    synonyms: { tell: yesWords, [SKIP]: skipWords },
    accept(answer, { answers }) {
      if (answer.kind === "button" && answer.value === "tell") return { kind: "save", answers, next: "perp_units" };
      if (answer.kind === "button" && answer.value === SKIP) {
        const cleared: DraftAnswers = {
          ...answers,
          perpetratorUnits: undefined,
          perpetratorVehicles: undefined,
          perpetratorCount: undefined,
          perpetratorWords: undefined,
        };
        return { kind: "save", answers: cleared, next: answers.returnToReview ? "review" : "photos" };
      }
      // Someone who starts describing straight away has answered the first of these questions.
      const text = textAnswer(answer, MAX_ANSWER_LENGTH);
      if (typeof text !== "string") return answer.kind === "text" ? text : { kind: "retry", error: "intake-error-choose-button" };
      return { kind: "save", answers: { ...answers, perpetratorUnits: text }, next: "perp_vehicles" };
    },
  };

  const optionalText = (
    step: "perp_units" | "perp_vehicles" | "perp_words",
    field: "perpetratorUnits" | "perpetratorVehicles" | "perpetratorWords",
  ): StageSpec<View> => ({
    step,
    view: () => ({}),
    question: (t) => ({
      text: t(`intake-${step.replace("_", "-")}-question`),
      rows: [[{ label: t("intake-button-skip"), value: SKIP }]],
    }),
    synonyms: { [SKIP]: skipWords },
    accept(answer, { answers }) {
      if (answer.kind === "button" && answer.value === SKIP) return { kind: "save", answers: { ...answers, [field]: undefined } };
      const text = textAnswer(answer, MAX_ANSWER_LENGTH);
      if (typeof text !== "string") return text;
      return { kind: "save", answers: { ...answers, [field]: text } };
    },
  });

  const perpCount: StageSpec<View> = {
    step: "perp_count",
    view: () => ({}),
    question: (t) => ({ text: t("intake-perp-count-question"), rows: [[{ label: t("intake-button-skip"), value: SKIP }]] }),
    synonyms: { [SKIP]: [...skipWords, "не знаю", "dont know", "unknown"] },
    accept(answer, { answers }) {
      if (answer.kind === "button" && answer.value === SKIP) return { kind: "save", answers: { ...answers, perpetratorCount: undefined } };
      if (answer.kind !== "text") return notText(answer);
      const match = /^\s*(?:~|≈|about|близько|приблизно|десь)?\s*(\d{1,6})\s*$/iu.exec(answer.text);
      const count = match ? Number(match[1]) : NaN;
      if (!Number.isInteger(count) || count < 1 || count > MAX_PERPETRATOR_COUNT) {
        return { kind: "retry", error: "intake-error-perp-count" };
      }
      return { kind: "save", answers: { ...answers, perpetratorCount: count } };
    },
  };

  const narrative: StageSpec<View> = {
    step: "narrative",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-narrative-question", { max: MAX_NARRATIVE_LENGTH }),
      rows: [[{ label: t("intake-button-skip"), value: SKIP }]],
    }),
    synonyms: { [SKIP]: skipWords },
    accept(answer, { answers }) {
      if (answer.kind === "button" && answer.value === SKIP) return { kind: "save", answers: { ...answers, narrative: undefined } };
      const text = textAnswer(answer, MAX_NARRATIVE_LENGTH);
      if (typeof text !== "string") return text;
      return { kind: "save", answers: { ...answers, narrative: text } };
    },
  };

  const contact: StageSpec<View> = {
    step: "contact",
    view: () => ({}),
    question: (t) => ({
      text: t("intake-contact-question"),
      rows: [[{ label: t("intake-contact-yes"), value: "yes" }], [{ label: t("intake-contact-no"), value: "no" }]],
    }),
    synonyms: { yes: yesWords, no: noWords },
    accept(answer, { answers }) {
      if (answer.kind === "button" && (answer.value === "yes" || answer.value === "no")) {
        return { kind: "save", answers: { ...answers, contactAllowed: answer.value === "yes" } };
      }
      return { kind: "retry", error: "intake-error-choose-button" };
    },
  };

  const itemsEdit: StageSpec<View> = {
    step: "items_edit",
    view: (answers) => ({ items: answers.items.map((i) => `${i.description}`.slice(0, 40)) }),
    question: (t, view) => {
      const items = view.items as string[];
      return {
        text: t("intake-items-edit-question", { count: items.length }),
        rows: [
          ...items.map((label, index) => [{ label: t("intake-items-edit-remove", { number: index + 1, label }), value: `rm_${index}` }]),
          ...(items.length < MAX_ITEMS ? [[{ label: t("intake-items-edit-add"), value: "add" }]] : []),
        ],
      };
    },
    accept(answer, { answers }) {
      if (answer.kind !== "button") return { kind: "retry", error: "intake-error-choose-button" };
      if (answer.value === "add") {
        if (answers.items.length >= MAX_ITEMS) return { kind: "retry", error: "intake-error-items-full" };
        return { kind: "save", answers: { ...answers, currentItem: undefined, returnToReview: true }, next: "item_category" };
      }
      const index = /^rm_(\d+)$/.exec(answer.value);
      if (!index) return { kind: "retry", error: "intake-error-choose-button" };
      const position = Number(index[1]);
      if (position >= answers.items.length) return { kind: "retry", error: "intake-error-choose-button" };
      if (answers.items.length === 1) return { kind: "retry", error: "intake-error-last-item" };
      return { kind: "save", answers: { ...answers, items: answers.items.filter((_, i) => i !== position) }, next: "items_edit" };
    },
  };

  return [
    role,
    location,
    region,
    date,
    itemCategory,
    itemDescription,
    itemQuantity,
    itemValue,
    itemIdentifier,
    itemMore,
    perpetrators,
    optionalText("perp_units", "perpetratorUnits"),
    optionalText("perp_vehicles", "perpetratorVehicles"),
    perpCount,
    optionalText("perp_words", "perpetratorWords"),
    narrative,
    contact,
    itemsEdit,
  ];
}
