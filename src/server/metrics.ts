import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { ImageRejectedError, rejectionReasons } from "../media/image-rejected-error.js";
import type { Sanitizer } from "../media/sanitize.js";

/**
 * How an update ended: handled; skipped because it had been handled before (a redelivery); deferred because
 * the database could not be used (it will come again); refused early (rate limit, size); failed for good.
 */
export type UpdateOutcome = "handled" | "redelivered" | "deferred" | "refused" | "failed";

/**
 * What the bot counts, behind small methods so features need not know the metrics library. One instance per
 * running app (its own registry), so two apps in one test process never share or clash over counters.
 */
export interface Metrics {
  readonly registry: Registry;
  updateFinished(outcome: UpdateOutcome, seconds: number): void;
  handlerError(): void;
  caseSubmitted(): void;
  photoSanitized(): void;
  /** `reason` is a rejection code (e.g. `too_large`, `not_an_image`), never free text. */
  photoRejected(reason: string): void;
  updatesInFlight(count: number): void;
}

// A label value comes from a code, but a mistake must not create unbounded series or leak text into metrics.
const labelPattern = /^[a-z0-9_]{1,40}$/;

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const updates = new Counter({
    name: "svidok_updates_total",
    help: "Telegram updates taken in, by how their handling ended",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const handling = new Histogram({
    name: "svidok_update_handling_seconds",
    help: "Time from taking an update to finishing with it, per attempt",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const handlerErrors = new Counter({
    name: "svidok_handler_errors_total",
    help: "Updates whose handler failed and whose sender got an apology",
    registers: [registry],
  });
  const casesSubmitted = new Counter({
    name: "svidok_cases_submitted_total",
    help: "Reports submitted as cases",
    registers: [registry],
  });
  const photosSanitized = new Counter({
    name: "svidok_photos_sanitized_total",
    help: "Photos cleaned of metadata and stored",
    registers: [registry],
  });
  const photosRejected = new Counter({
    name: "svidok_photos_rejected_total",
    help: "Files refused by the image sanitizer, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "svidok_updates_in_flight",
    help: "Updates taken in and not yet finished, including those waiting for the database",
    registers: [registry],
  });
  for (const outcome of ["handled", "redelivered", "deferred", "refused", "failed"] as const) updates.inc({ outcome }, 0);
  for (const reason of rejectionReasons) photosRejected.inc({ reason }, 0);

  return {
    registry,
    updateFinished(outcome, seconds) {
      updates.inc({ outcome });
      handling.observe(seconds);
    },
    handlerError: () => handlerErrors.inc(),
    caseSubmitted: () => casesSubmitted.inc(),
    photoSanitized: () => photosSanitized.inc(),
    photoRejected(reason) {
      photosRejected.inc({ reason: labelPattern.test(reason) ? reason : "other" });
    },
    updatesInFlight: (count) => inFlight.set(count),
  };
}

/** Counts every picture the sanitizer cleaned or refused, whichever feature sent it (intake, answers to moderators). */
export function countingSanitizer(sanitizer: Sanitizer, metrics: Metrics): Sanitizer {
  return {
    async sanitize(input) {
      try {
        const image = await sanitizer.sanitize(input);
        metrics.photoSanitized();
        return image;
      } catch (error) {
        if (error instanceof ImageRejectedError) metrics.photoRejected(error.reason);
        throw error;
      }
    },
    inHand: (task) => sanitizer.inHand(task),
  };
}
