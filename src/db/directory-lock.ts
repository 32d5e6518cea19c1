import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export interface DirectoryLock {
  release(): Promise<void>;
}

export class DirectoryLockedError extends Error {
  readonly code = "DATA_DIR_LOCKED";
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another Svidok process (pid ${ownerPid}). ` +
        "The embedded database can be opened by one process only; use DATABASE_URL to run several.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Two processes on one PGlite folder get no error from PGlite and silently lose writes, hence the lock.
export async function acquireDirectoryLock(dataDir: string): Promise<DirectoryLock> {
  const file = path.join(dataDir, "svidok.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return {
        async release() {
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const ownerPid = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
      if (Number.isInteger(ownerPid) && ownerPid !== process.pid && isAlive(ownerPid)) {
        throw new DirectoryLockedError(dataDir, ownerPid);
      }
      // The owner died without releasing (SIGKILL, power loss): the lock is stale.
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
