import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  caseActions,
  packCaseButton,
  packQueueButton,
  unpackCaseButton,
  unpackQueueButton,
} from "../../src/bot/features/moderation/callback-data.js";

describe("staff callback data", () => {
  it("packs every action with a case id into at most 64 bytes and reads it back", () => {
    const caseId = randomUUID();
    for (const action of Object.keys(caseActions) as (keyof typeof caseActions)[]) {
      const data = packCaseButton({ action, caseId });
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(unpackCaseButton(data)).toEqual({ action, caseId });
    }
  });

  it("refuses to pack something that is not a case id", () => {
    expect(() => packCaseButton({ action: "verify", caseId: "SV-AAAA-BBBB" })).toThrow(/Expected a lower-case uuid for caseId/);
  });

  it("reads anything else as nothing", () => {
    const id = randomUUID();
    for (const forged of [
      "",
      "m",
      `m:z:${id}`,
      `m:v:${id}:x`,
      `x:v:${id}`,
      `m:v:${id.toUpperCase()}`,
      `m:v:${id.slice(1)}`,
      "m:v:../../etc/passwd",
      randomBytes(64).toString("latin1"),
      randomBytes(48).toString("base64"),
      `m:v:${id}`.padEnd(65, " "),
    ]) {
      expect(unpackCaseButton(forged)).toBeUndefined();
    }
  });

  it("reads queue pages only for known filters and sane offsets", () => {
    expect(unpackQueueButton(packQueueButton({ filter: "needs_info", offset: 20 }))).toEqual({ filter: "needs_info", offset: 20 });
    expect(unpackQueueButton(packQueueButton({ filter: "open", offset: 0 }))).toEqual({ filter: "open", offset: 0 });
    for (const forged of ["q:lost:0", "q:open:-1", "q:open:1e3", "q:open:99999999", "q:open", "q:open:1:2", undefined]) {
      expect(unpackQueueButton(forged)).toBeUndefined();
    }
  });
});
