import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createSanitizer } from "../../src/media/sanitize.js";
import { countingSanitizer, createMetrics } from "../../src/server/metrics.js";
import { parsePrometheusText, sampleValue } from "./helpers/prometheus-text.js";

describe("metrics counted where the work is done", () => {
  it("counts photos the sanitizer cleaned, and those it refused by reason", async () => {
    const metrics = createMetrics();
    const sanitizer = countingSanitizer(createSanitizer({ concurrency: 1, maxBytes: 1024 * 1024, maxPixels: 10_000_000 }), metrics);
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a6" } }).jpeg().toBuffer();
    await sanitizer.sanitize(jpeg);
    await expect(sanitizer.sanitize(Buffer.from("%PDF-1.7 not a picture"))).rejects.toMatchObject({ reason: "not_an_image" });
    const samples = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(samples, "svidok_photos_sanitized_total")).toBe(1);
    expect(sampleValue(samples, "svidok_photos_rejected_total", { reason: "not_an_image" })).toBe(1);
    expect(sampleValue(samples, "svidok_photos_rejected_total", { reason: "too_large" })).toBe(0);
  });

  it("keeps two apps' counters apart", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.caseSubmitted();
    expect(sampleValue(parsePrometheusText(await first.registry.metrics()), "svidok_cases_submitted_total")).toBe(1);
    expect(sampleValue(parsePrometheusText(await second.registry.metrics()), "svidok_cases_submitted_total")).toBe(0);
  });
});
