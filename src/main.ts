import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { DirectoryLockedError } from "./db/directory-lock.js";
import { createLogger } from "./logger.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // A signal during start-up (e.g. while Telegram is unreachable) ends the process rather than being lost.
  const abortStartup = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, "stopped during start-up");
    process.exit(1);
  };
  process.once("SIGINT", abortStartup);
  process.once("SIGTERM", abortStartup);
  let app;
  try {
    app = await startApp(config, { logger });
  } catch (error) {
    // Expected failures (a locked DATA_DIR, an unreachable database) get one clear line, not a stack trace.
    if (!(error instanceof DirectoryLockedError)) logger.fatal({ err: error }, "start-up failed");
    process.stderr.write(`Svidok could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.off("SIGINT", abortStartup);
  process.off("SIGTERM", abortStartup);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting at once");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

void main();
