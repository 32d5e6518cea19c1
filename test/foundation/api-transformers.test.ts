import { describe, expect, it } from "vitest";
import { acceptExpiredQueryAnswers } from "../../src/bot/api-transformers.js";

const refused = (description: string) => async () => ({ ok: false as const, error_code: 400, description });

describe("acceptExpiredQueryAnswers", () => {
  it("takes Telegram's refusal to answer a press it no longer holds as done, and passes every other result on", async () => {
    const tooOld = "Bad Request: query is too old and response timeout expired or query ID is invalid";
    expect(await acceptExpiredQueryAnswers(refused(tooOld) as never, "answerCallbackQuery", { callback_query_id: "1" })).toEqual({
      ok: true,
      result: true,
    });
    const otherMethod = await acceptExpiredQueryAnswers(refused(tooOld) as never, "sendMessage", { chat_id: 1, text: "x" } as never);
    expect(otherMethod).toMatchObject({ ok: false, error_code: 400 });
    const otherError = await acceptExpiredQueryAnswers(refused("Bad Request: message text is empty") as never, "answerCallbackQuery", {
      callback_query_id: "1",
    });
    expect(otherError).toMatchObject({ ok: false });
  });
});
