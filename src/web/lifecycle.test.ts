import { describe, expect, it } from "vitest";
import type { Election } from "./api-lifecycle.js";
import { countdownWords, electionSteps, formatCountdown, termWords } from "./lifecycle.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("the crisis countdown", () => {
  it("reads as a clock, with days when there are any, and never below zero", () => {
    expect(formatCountdown(2 * HOUR - 2000)).toBe("01:59:58");
    expect(formatCountdown(52 * HOUR + 5 * MINUTE + 9000)).toBe("2 days 04:05:09");
    expect(formatCountdown(25 * HOUR)).toBe("1 day 01:00:00");
    expect(formatCountdown(-5000)).toBe("00:00:00");
  });

  it("announces in coarse words that change rarely", () => {
    expect(countdownWords(2 * HOUR - 2000)).toBe("about 2 hours left");
    expect(countdownWords(HOUR + 20 * MINUTE)).toBe("about 1 hour left");
    expect(countdownWords(52 * HOUR)).toBe("about 2 days left");
    expect(countdownWords(37 * MINUTE)).toBe("about 35 minutes left");
    expect(countdownWords(3 * MINUTE - 1000)).toBe("3 minutes left");
    expect(countdownWords(30_000)).toBe("1 minute left");
    expect(countdownWords(0)).toBe("ending now");
  });

  it("says the same thing for every second of a minute", () => {
    const words = new Set(Array.from({ length: 60 }, (_, s) => countdownWords(90 * MINUTE + s * 1000)));
    expect(words.size).toBe(1);
  });
});

describe("terms in words", () => {
  it("uses years and months where the days divide evenly", () => {
    expect(termWords(365)).toBe("1 year");
    expect(termWords(730)).toBe("2 years");
    expect(termWords(180)).toBe("6 months");
    expect(termWords(30)).toBe("30 days");
    expect(termWords(1)).toBe("1 day");
  });
});

const election = (fields: Partial<Election>): Election =>
  ({
    state: "describing",
    rounds: [],
    proposals: [],
    revealedAt: null,
    nominations: [],
    qualifications: [],
    ...fields,
  }) as Election;

const statuses = (e: Election) => electionSteps(e).map((step) => `${step.label}:${step.status}`);

describe("the steps of an election", () => {
  it("marks the steps before the current one done and the rest to come", () => {
    expect(statuses(election({ state: "changing" }))).toEqual([
      "Describing:done",
      "Qualifying:done",
      "Nominating:done",
      "Changing:current",
      "Proposing:upcoming",
      "Consent round:upcoming",
      "Elected:upcoming",
    ]);
  });

  it("shows integrating objections at the consent round's place", () => {
    const steps = electionSteps(election({ state: "integrating" }));
    expect(steps.find((s) => s.status === "current")?.label).toBe("Integrating objections");
    expect(steps.at(-1)?.status).toBe("upcoming");
  });

  it("shows a cancelled election's unreached steps as skipped", () => {
    const cancelled = election({ state: "cancelled", revealedAt: "2026-01-05T09:00:00.000Z" });
    expect(statuses(cancelled).slice(2)).toEqual([
      "Nominating:done",
      "Changing:current",
      "Proposing:skipped",
      "Consent round:skipped",
      "Elected:skipped",
    ]);
  });
});
