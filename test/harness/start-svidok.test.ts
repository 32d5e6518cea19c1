import { afterEach, describe, expect, it } from "vitest";
import { type RunningSvidok, startSvidok } from "./start-svidok.js";

let svidok: RunningSvidok | undefined;

afterEach(async () => {
  await svidok?.stop();
  svidok = undefined;
});

describe("the Svidok bot in this process against the fake Bot API", () => {
  it("answers /start in the person's language, keeps a chosen language across a restart, and makes no unknown call", async () => {
    svidok = await startSvidok();
    const { api } = svidok;
    expect(api.commandsFor({ type: "all_private_chats" }, "uk")?.length).toBeGreaterThan(0);
    expect(api.commandsFor({ type: "all_private_chats" })?.length).toBeGreaterThan(0);

    const olena = svidok.user({ languageCode: "uk" });
    const john = svidok.user({ languageCode: "en" });
    await olena.says("/start");
    await john.says("/start");
    const welcomeUk = await olena.expectReply(/Свідок/);
    expect(welcomeUk.buttons).toContain("📝 Почати звіт");
    expect((await john.expectReply(/Svidok/)).buttons).toContain("📝 Start a report");

    await olena.says("/language");
    await olena.nextReply();
    const tap = await olena.taps("English");
    await olena.expectReply("Language set: English.");
    await olena.settled();
    expect(await olena.callbackAnswer(tap)).toBeDefined();

    await svidok.restart();
    await olena.says("/start");
    expect((await olena.nextReply()).buttons).toContain("📝 Start a report");
    expect(api.unknownCalls).toEqual([]);
    expect(api.unansweredCallbackQueries).toEqual([]);
  });
});
