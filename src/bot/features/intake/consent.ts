import type { I18n } from "@grammyjs/i18n";
import { CONSENT_VERSION, emptyAnswers } from "../../../cases/draft.js";
import { openDraftOfReporter } from "../../../db/drafts.js";
import type { Locale } from "../../../db/types.js";
import type { BotContext, ConversationContext } from "../../context.js";
import { translator } from "../../i18n.js";
import { CONSENT_TAG } from "./callback-data.js";
import { handOver } from "./handover.js";
import { readInput } from "./input.js";
import { type Question, matchButton, sendQuestion } from "./question.js";
import { answerQuery, type IntakeConversation } from "./stage.js";

const STEP = "consent";

/** Nothing about the person is stored before they agree: the reporter row and the draft appear only then. */
async function agree(outer: BotContext, locale: Locale): Promise<void> {
  const { db } = outer.app;
  const pseudonym = outer.pseudonym!;
  const draft = await openDraftOfReporter(db, pseudonym, locale, "role", emptyAnswers() as unknown as Record<string, unknown>);
  // Given to the dispatcher, which would otherwise read it again to ask its first question.
  handOver(outer, draft);
}

export function consentConversation(i18n: I18n<BotContext>) {
  return async function consent(conversation: IntakeConversation, ctx: ConversationContext, args: { locale: Locale }) {
    const t = translator(i18n, args.locale);
    const question: Question = {
      text: t("intake-consent-question", { version: CONSENT_VERSION }),
      rows: [[{ label: t("intake-consent-agree"), value: "agree" }], [{ label: t("intake-consent-decline"), value: "decline" }]],
    };
    const synonyms = {
      agree: ["так", "згоден", "згодна", "погоджуюсь", "yes", "agree", "i agree", "ok"],
      decline: ["ні", "no", "не згоден", "не згодна", "decline"],
    };
    await sendQuestion(ctx, question, STEP, CONSENT_TAG);
    for (;;) {
      const current = await conversation.wait();
      const input = readInput(current);
      if (input.kind === "command" || input.kind === "foreign_button" || input.kind === "ignored") {
        await conversation.skip({ next: true });
        continue;
      }
      let choice: string | undefined;
      if (input.kind === "button") {
        if (input.step !== STEP) {
          await answerQuery(conversation, t("intake-stale-button"));
          continue;
        }
        await answerQuery(conversation);
        choice = input.value;
      } else if (input.kind === "text") {
        choice = matchButton(input.text, question, synonyms);
      }
      if (choice === "agree") {
        await conversation.external((outer) => agree(outer, args.locale));
        return conversation.halt({ next: true });
      }
      if (choice === "decline") {
        await current.reply(t("intake-consent-declined"));
        return;
      }
      await sendQuestion(current, question, STEP, CONSENT_TAG, { prefix: t("intake-error-consent"), withPreamble: false });
    }
  };
}
