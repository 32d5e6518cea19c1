import { describe, expect, it } from "vitest";
import { batches, planWipe } from "../../src/bot/features/reporter/wipe.js";

const hour = 3600;
const now = 1_800_000_000;

describe("the range /wipe deletes", () => {
  it("starts at the chat's first message when all of it is within 48 hours", () => {
    expect(planWipe([[1, now - 5 * hour], [40, now - hour]], 57, now)).toEqual({ from: 1, to: 57, olderRemain: false });
    expect(planWipe([], 9, now)).toEqual({ from: 1, to: 9, olderRemain: false });
  });

  it("starts after the newest mark older than 48 hours, and says older messages remain", () => {
    const marks: [number, number][] = [[1, now - 100 * hour], [300, now - 50 * hour], [320, now - 47 * hour]];
    expect(planWipe(marks, 400, now)).toEqual({ from: 301, to: 400, olderRemain: true });
  });

  it("never asks for more than 100 batches", () => {
    expect(planWipe([[1, now - hour]], 25_000, now)).toEqual({ from: 15_001, to: 25_000, olderRemain: true });
  });

  it("cuts the range into batches of at most 100 ids", () => {
    const cut = batches(5, 254);
    expect(cut.map((b) => [b[0], b.at(-1), b.length])).toEqual([
      [5, 104, 100],
      [105, 204, 100],
      [205, 254, 50],
    ]);
  });
});
