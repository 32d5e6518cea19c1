import { describe, expect, it, vi } from "vitest";
import type { Draft } from "../../src/db/types.js";
import { createDraftCache } from "../../src/bot/features/intake/draft-cache.js";

const draft = (key: string, step = "role"): Draft => ({
  draft_key: key,
  reporter_id: "r",
  step,
  answers: {},
  created_at: new Date(0),
  updated_at: new Date(0),
});

describe("createDraftCache", () => {
  it("gives a copy back once, the latest kept for its key", () => {
    const cache = createDraftCache();
    cache.keep(draft("a", "role"));
    cache.keep(draft("a", "location"));
    expect(cache.take("a")?.step).toBe("location");
    expect(cache.take("a")).toBeUndefined();
    cache.keep(draft("b"));
    cache.forget("b");
    expect(cache.take("b")).toBeUndefined();
  });

  it("holds at most `max` copies, dropping the one kept longest ago", () => {
    const cache = createDraftCache({ max: 2 });
    cache.keep(draft("a"));
    cache.keep(draft("b"));
    cache.keep(draft("a"));
    cache.keep(draft("c"));
    expect(cache.take("b")).toBeUndefined();
    expect(cache.take("a")).toBeDefined();
    expect(cache.take("c")).toBeDefined();
  });

  it("does not give back a copy older than `maxAgeMs`", () => {
    vi.useFakeTimers();
    try {
      const cache = createDraftCache({ maxAgeMs: 1_000 });
      cache.keep(draft("a"));
      cache.keep(draft("b"));
      vi.advanceTimersByTime(600);
      expect(cache.take("a")).toBeDefined();
      vi.advanceTimersByTime(600);
      expect(cache.take("b")).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
