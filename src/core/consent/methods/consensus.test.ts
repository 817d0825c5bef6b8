import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../../access.js";
import { DomainError } from "../../errors.js";
import type { CircleId, MemberId } from "../../ids.js";
import { DEFAULT_QUORUM } from "../quorum.js";
import {
  type ConsensusResponse,
  consensusOutcome,
  openConsensusRound,
  respondInConsensus,
} from "./consensus.js";

const circleId = "circle" as CircleId;
const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set([circleId]),
});
const [ann, ben, cat, dan] = ["ann", "ben", "cat", "dan"].map((name) => person(name)) as [
  Viewer,
  Viewer,
  Viewer,
  Viewer,
];
const T0 = new Date("2025-05-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const open = () =>
  openConsensusRound(
    [ann, ben, cat, dan].map((v) => v.memberId),
    at(24),
    T0,
  );
const agree: ConsensusResponse = { kind: "agree" };

function code(attempt: () => unknown) {
  try {
    attempt();
    return "accepted";
  } catch (error) {
    return error instanceof DomainError ? error.code : "crash";
  }
}

describe("consensus", () => {
  it("is reached when everyone agrees or stands aside", () => {
    let round = open();
    round = respondInConsensus(round, DEFAULT_QUORUM, ann, agree, at(1));
    round = respondInConsensus(round, DEFAULT_QUORUM, ben, agree, at(2));
    round = respondInConsensus(round, DEFAULT_QUORUM, cat, { kind: "stand_aside", reason: " " }, at(3));
    expect(consensusOutcome(round, DEFAULT_QUORUM, at(4)).outcome).toBe("open");
    round = respondInConsensus(round, DEFAULT_QUORUM, dan, agree, at(4));
    const { outcome, tally } = consensusOutcome(round, DEFAULT_QUORUM, at(4));
    expect(outcome).toBe("reached");
    expect(tally).toMatchObject({ agree: 3, standAside: 1, block: 0, noResponse: 0 });
    expect(round.responses[2]?.response).toEqual({ kind: "stand_aside", reason: null });
  });

  it("is stopped by a single block, which must give its reason, and then takes no more responses", () => {
    let round = respondInConsensus(open(), DEFAULT_QUORUM, ann, agree, at(1));
    expect(
      code(() => respondInConsensus(round, DEFAULT_QUORUM, ben, { kind: "block", reason: "" }, at(2))),
    ).toBe("validation_failed");
    round = respondInConsensus(
      round,
      DEFAULT_QUORUM,
      ben,
      { kind: "block", reason: "Breaks our budget" },
      at(2),
    );
    expect(consensusOutcome(round, DEFAULT_QUORUM, at(2)).outcome).toBe("blocked");
    expect(code(() => respondInConsensus(round, DEFAULT_QUORUM, cat, agree, at(3)))).toBe(
      "invalid_transition",
    );
  });

  it("lapses at the deadline below quorum, or when no one agreed", () => {
    const one = respondInConsensus(open(), DEFAULT_QUORUM, ann, agree, at(1));
    expect(consensusOutcome(one, DEFAULT_QUORUM, at(24)).outcome).toBe("lapsed");
    let asides = open();
    for (const v of [ann, ben, cat])
      asides = respondInConsensus(asides, DEFAULT_QUORUM, v, { kind: "stand_aside", reason: null }, at(1));
    expect(consensusOutcome(asides, DEFAULT_QUORUM, at(24)).outcome).toBe("lapsed");
  });

  it("takes responses only from participants, never observers", () => {
    const round = open();
    expect(
      code(() => respondInConsensus(round, DEFAULT_QUORUM, person("otto", "observer"), agree, at(1))),
    ).toBe("forbidden");
    expect(code(() => respondInConsensus(round, DEFAULT_QUORUM, person("eve"), agree, at(1)))).toBe(
      "forbidden",
    );
    expect(code(() => respondInConsensus(round, DEFAULT_QUORUM, ann, agree, at(24)))).toBe(
      "invalid_transition",
    );
  });

  it("counts each participant's latest response once, and never silence as agreement", () => {
    const members = [ann, ben, cat, dan];
    const response = fc.constantFrom<ConsensusResponse>(agree, { kind: "stand_aside", reason: null });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), response), { maxLength: 12 }),
        (steps) => {
          let round = open();
          const latest = new Map<number, ConsensusResponse["kind"]>();
          for (const [i, r] of steps) {
            if (consensusOutcome(round, DEFAULT_QUORUM, at(1)).outcome !== "open") break;
            round = respondInConsensus(round, DEFAULT_QUORUM, members[i] as Viewer, r, at(1));
            latest.set(i, r.kind);
          }
          const { outcome, tally } = consensusOutcome(round, DEFAULT_QUORUM, at(24));
          const agreed = [...latest.values()].filter((k) => k === "agree").length;
          expect(tally).toMatchObject({ responded: latest.size, agree: agreed, noResponse: 4 - latest.size });
          expect(outcome).toBe(latest.size >= 3 && agreed > 0 ? "reached" : "lapsed");
        },
      ),
    );
  });
});
