import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createPGlite, openPostgres, wrapPGlite } from "../../src/db/connect.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { onServer, urlOfDatabase } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** On PostgreSQL: the migrated database every test database is copied from; its name prefixes theirs. */
    postgresTemplate: string;
  }
}

/**
 * A fresh PGlite takes seconds to start and migrate; loading a dump of a migrated one takes well under one.
 * The template is made once per run and every test database is loaded from it. On PostgreSQL (TEST_DATABASE_URL)
 * a migrated template database is made once too, and test databases are copies of it.
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

  const serverUrl = process.env.TEST_DATABASE_URL || undefined;
  const postgresTemplate = `svidok_t_${randomUUID().slice(0, 8)}`;
  project.provide("postgresTemplate", postgresTemplate);
  if (serverUrl) await createPostgresTemplate(serverUrl, postgresTemplate);

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (serverUrl) await dropRunDatabases(serverUrl, postgresTemplate);
  };
}

async function createPostgresTemplate(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (client) => client.query(`create database ${name}`));
  const template = openPostgres({ connectionString: urlOfDatabase(serverUrl, name) });
  try {
    await migrateToLatest(template.db);
  } finally {
    await template.close();
  }
}

/** The template and any test database a killed worker could not drop. */
async function dropRunDatabases(serverUrl: string, prefix: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${prefix}%`]);
    for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
  });
}
