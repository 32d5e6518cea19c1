import { type Context, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { intakeData } from "./callback-data.js";
import { normalizeLabel } from "./input.js";

export interface Button {
  label: string;
  value: string;
}

export interface Question {
  text: string;
  rows: Button[][];
  /** Messages sent before the question itself, e.g. the parts of a long summary. */
  preamble?: string[];
}

export const BACK = "back";

export function keyboardFor(question: Question, step: string, tag: string): InlineKeyboard | undefined {
  if (question.rows.length === 0) return undefined;
  return InlineKeyboard.from(
    question.rows.map((row) => row.map((b) => InlineKeyboard.text(b.label, intakeData.pack({ step, tag, value: b.value })))),
  );
}

/** Plain text only: answers are shown back to the person and must never be read as markup. */
export async function sendQuestion(
  ctx: Context,
  question: Question,
  step: string,
  tag: string,
  options: { prefix?: string; withPreamble?: boolean } = {},
): Promise<Message.TextMessage> {
  if (options.withPreamble !== false) {
    for (const part of question.preamble ?? []) await ctx.reply(part);
  }
  const text = options.prefix ? `${options.prefix}\n\n${question.text}` : question.text;
  const keyboard = keyboardFor(question, step, tag);
  return ctx.reply(text, keyboard ? { reply_markup: keyboard } : {});
}

/** A typed answer equal to a button's label (or one of its other words) counts as pressing it. */
export function matchButton(text: string, question: Question, synonyms: Record<string, readonly string[]> = {}): string | undefined {
  const typed = normalizeLabel(text);
  if (!typed) return undefined;
  for (const row of question.rows) {
    for (const button of row) {
      if (normalizeLabel(button.label) === typed) return button.value;
      if (synonyms[button.value]?.some((word) => normalizeLabel(word) === typed)) return button.value;
    }
  }
  return undefined;
}

/** Telegram refuses messages over 4096 characters; long summaries are cut between blocks, never inside one. */
export function packMessages(blocks: string[], limit = 3900): string[] {
  const messages: string[] = [];
  let current = "";
  for (const block of blocks) {
    const pieces = block.length > limit ? (block.match(new RegExp(`[\\s\\S]{1,${limit}}`, "g")) ?? []) : [block];
    for (const piece of pieces) {
      if (current && current.length + 2 + piece.length > limit) {
        messages.push(current);
        current = piece;
      } else {
        current = current ? `${current}\n\n${piece}` : piece;
      }
    }
  }
  if (current) messages.push(current);
  return messages;
}
