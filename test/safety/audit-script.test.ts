import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/spawn-bot.js";

const run = promisify(execFile);

/**
 * scripts/audit.sh against a stand-in `npm` that prints a given report, so each outcome of a real audit
 * (found, clean, service unreachable, nonsense) is checked without the advisory service.
 */
describe("scripts/audit.sh", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "svidok-audit-"));
    await writeFile(path.join(dir, "npm"), '#!/bin/sh\ncat "$FAKE_AUDIT_REPORT"\nexit "$FAKE_AUDIT_STATUS"\n');
    await chmod(path.join(dir, "npm"), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function audit(report: unknown, npmStatus: number, env: Record<string, string> = {}) {
    const file = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, typeof report === "string" ? report : JSON.stringify(report));
    try {
      const { stdout, stderr } = await run("bash", [path.join(repoRoot, "scripts/audit.sh")], {
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_AUDIT_REPORT: file, FAKE_AUDIT_STATUS: String(npmStatus), ...env },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, output: e.stdout + e.stderr };
    }
  }

  const counts = (high: number, critical: number, moderate = 0) => ({
    auditReportVersion: 2,
    vulnerabilities:
      high > 0
        ? { "some-lib": { name: "some-lib", severity: "high", range: "<2.0.1", via: [{ title: "Prototype pollution", url: "https://example.org/GHSA-x" }] } }
        : {},
    metadata: { vulnerabilities: { info: 0, low: 0, moderate, high, critical, total: high + critical + moderate }, dependencies: { prod: 120 } },
  });

  it("fails on a high or critical vulnerability and names it", async () => {
    const result = await audit(counts(1, 0), 1);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/0 critical and 1 high/);
    expect(result.output).toContain("some-lib [high] <2.0.1: Prototype pollution");
  });

  it("passes when only moderate ones are known, and says how many packages were checked", async () => {
    const result = await audit(counts(0, 0, 2), 0);
    expect(result.code).toBe(0);
    expect(result.output).toContain("no known high or critical vulnerability in production dependencies (120 packages); 2 moderate");
  });

  it("when the advisory service refuses or cannot be reached, says loudly that no audit ran", async () => {
    for (const report of [
      { message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", statusCode: 405, uri: "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk" },
      { error: { code: "ENOTFOUND", summary: "request to https://registry.npmjs.org failed" } },
    ]) {
      const result = await audit(report, 1);
      expect(result.code).toBe(0);
      expect(result.output).toMatch(/SECURITY AUDIT NOT RUN/);
      expect(result.output).not.toMatch(/no known high/);
      expect((await audit(report, 1, { AUDIT_REQUIRED: "1" })).code).toBe(1);
    }
  });

  it("fails on anything it cannot read as a report", async () => {
    expect((await audit("npm ERR! something broke", 1)).code).toBe(2);
    expect((await audit({ error: { code: "EUNKNOWN" } }, 1)).code).toBe(2);
  });
});
