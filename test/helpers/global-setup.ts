import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createPGlite, wrapPGlite } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    runId: string;
  }
}

/**
 * A fresh PGlite takes seconds to start and migrate; loading a dump of a migrated one takes well under one.
 * The template is made once per run and every test database is loaded from it.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "svidok-test-"));
  const file = path.join(dir, "template.tar");
  const instance = await createPGlite();
  const handle = wrapPGlite(instance);
  await migrateToLatest(handle.db);
  const dump = await instance.dumpDataDir("none");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteTemplate", file);
  project.provide("runId", randomUUID().slice(0, 8));
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
