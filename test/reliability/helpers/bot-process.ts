import { randomBytes } from "node:crypto";
import { type FakeBotApi, TEST_BOT_TOKEN } from "../../harness/fake-bot-api.js";
import { spawnBot, type SpawnedBot } from "../../harness/spawn-bot.js";

/** Keys shared by every process of one test, as every replica of a deployment shares them. */
export function deploymentKeys() {
  return { PSEUDONYM_KEY: randomBytes(32).toString("hex"), DATA_KEY: randomBytes(32).toString("hex") };
}

export interface BotProcessOptions {
  api: FakeBotApi;
  databaseUrl: string;
  keys: ReturnType<typeof deploymentKeys>;
  env?: Record<string, string>;
}

/** The real bot as a child process on PostgreSQL, resolved once it serves updates. */
export async function startBotProcess(options: BotProcessOptions): Promise<SpawnedBot> {
  const bot = spawnBot({
    env: {
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_API_ROOT: options.api.apiRoot,
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: "info",
      ...options.keys,
      ...options.env,
    },
  });
  await bot.waitForOutput(/Svidok is running/, 30_000);
  return bot;
}
