import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { type RunningSvidok, startSvidok } from "../harness/start-svidok.js";

// A fault injected into the bot's own middleware: the person who hit it is told, in their language, and
// everybody else is served as if nothing happened.
describe("the error boundary", () => {
  let svidok: RunningSvidok;

  beforeAll(async () => {
    svidok = await startSvidok({
      extraMiddleware: [
        async (ctx: BotContext, next) => {
          if (ctx.message?.text === "/explode") throw new Error("injected fault");
          await next();
        },
      ],
    });
  });

  afterAll(async () => {
    await svidok?.stop();
  });

  it("apologises in the person's language and keeps serving others", async () => {
    const ukrainian = svidok.user({ languageCode: "uk" });
    const english = svidok.user({ languageCode: "en" });
    const bystander = svidok.user({ languageCode: "en" });

    await ukrainian.says("/explode");
    expect((await ukrainian.nextReply()).body).toMatch(/Вибачте.*збережено/s);
    await english.says("/explode");
    expect((await english.nextReply()).body).toMatch(/Sorry.*kept/s);

    await bystander.says("/start");
    expect((await bystander.nextReply()).body).toMatch(/Hello/);
    await ukrainian.says("/start");
    expect((await ukrainian.nextReply()).body).toMatch(/Вітаю/);
  });
});
