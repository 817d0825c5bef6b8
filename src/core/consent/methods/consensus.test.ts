import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.js";
import type { MemberId } from "../../ids.js";
import type { ConsensusRound } from "../proposal.js";
import { DEFAULT_QUORUM } from "../quorum.js";
import { type ConsensusResponse, consensusOutcome, consensusResponse } from "./consensus.js";

const members = ["ann", "ben", "cat", "dan"] as MemberId[];
const T0 = new Date("2025-05-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const agree: ConsensusResponse = { kind: "agree" };

/** A round among the four members, with responses (member index, response) given an hour apart. */
function round(responses: [number, ConsensusResponse][]): ConsensusRound {
  return {
    method: "consensus",
    number: 1,
    version: 1,
    eligible: members,
    openedAt: T0,
    deadline: at(24),
    closedAt: null,
    responses: responses.map(([i, response], seq) => ({
      memberId: members[i] as MemberId,
      response,
      at: at(seq + 1),
    })),
  };
}

describe("consensus", () => {
  it("is reached when everyone agrees or stands aside", () => {
    const aside: ConsensusResponse = { kind: "stand_aside", reason: null };
    expect(
      consensusOutcome(
        round([
          [0, agree],
          [1, agree],
          [2, aside],
        ]),
        DEFAULT_QUORUM,
        at(4),
      ).outcome,
    ).toBe("open");
    const { outcome, tally } = consensusOutcome(
      round([
        [0, agree],
        [1, agree],
        [2, aside],
        [3, agree],
      ]),
      DEFAULT_QUORUM,
      at(4),
    );
    expect(outcome).toBe("reached");
    expect(tally).toMatchObject({ method: "consensus", agree: 3, standAside: 1, block: 0, noResponse: 0 });
  });

  it("is stopped at once by a single block", () => {
    const blocked = round([
      [0, agree],
      [1, { kind: "block", reason: "Breaks our budget" }],
    ]);
    expect(consensusOutcome(blocked, DEFAULT_QUORUM, at(3)).outcome).toBe("blocked");
  });

  it("keeps a block's reason, which it must give, and takes a blank reason for standing aside as none", () => {
    expect(() => consensusResponse({ kind: "block", reason: " " })).toThrow(DomainError);
    expect(consensusResponse({ kind: "block", reason: " Too costly " })).toEqual({
      kind: "block",
      reason: "Too costly",
    });
    expect(consensusResponse({ kind: "stand_aside", reason: "  " })).toEqual({
      kind: "stand_aside",
      reason: null,
    });
    expect(consensusResponse({ kind: "stand_aside" })).toEqual({ kind: "stand_aside", reason: null });
  });

  it("lapses at the deadline below quorum, or when no one agreed", () => {
    expect(consensusOutcome(round([[0, agree]]), DEFAULT_QUORUM, at(24)).outcome).toBe("lapsed");
    const aside: ConsensusResponse = { kind: "stand_aside", reason: null };
    expect(
      consensusOutcome(
        round([
          [0, aside],
          [1, aside],
          [2, aside],
        ]),
        DEFAULT_QUORUM,
        at(24),
      ).outcome,
    ).toBe("lapsed");
  });

  it("counts each participant's latest response once, and never silence as agreement", () => {
    const response = fc.constantFrom<ConsensusResponse>(agree, { kind: "stand_aside", reason: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), response), { maxLength: 12 }),
        (steps) => {
          const latest = new Map(steps.map(([i, r]) => [i, r.kind]));
          const { outcome, tally } = consensusOutcome(round(steps), DEFAULT_QUORUM, at(24));
          const agreed = [...latest.values()].filter((k) => k === "agree").length;
          expect(tally).toMatchObject({ responded: latest.size, agree: agreed, noResponse: 4 - latest.size });
          expect(outcome).toBe(latest.size >= 3 && agreed > 0 ? "reached" : "lapsed");
        },
      ),
    );
  });
});
