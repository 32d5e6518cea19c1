import { ConfigError, type Config, loadConfig } from "../config.js";

// Command-line tools reach the database but never Telegram: they need no bot token.
const PLACEHOLDER_TOKEN = "0:command-line-tool-without-telegram";

export function loadCliConfig(): Config {
  try {
    return loadConfig({ BOT_TOKEN: PLACEHOLDER_TOKEN });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
}
