import type { Migration } from "kysely/migration";
import * as m0001 from "./0001_initial.js";
import * as m0003 from "./0003_moderation.js";
import * as m0006 from "./0006_key_fingerprints.js";

/**
 * Every migration, in order. Listed rather than discovered so the same code runs from sources, from the build
 * and under test runners; a test checks that no file in this folder is missing here.
 */
export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0003_moderation": m0003,
  "0006_key_fingerprints": m0006,
};
