import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "../../access.js";
import { DomainError } from "../../errors.js";
import type { CircleId, MemberId } from "../../ids.js";
import { advicePermissions, askForAdvice, decideAfterAdvice, recordAdvice } from "./advice.js";

const circleId = "circle" as CircleId;
const person = (name: string, access: OrgAccess = "member", inCircle = true): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(inCircle ? [circleId] : []),
});
const ann = person("ann");
const ben = person("ben");
const cat = person("cat", "member", false); // an expert from outside the circle
const T0 = new Date("2025-05-01T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

const asked = () =>
  askForAdvice({ circleId, proposer: ann, advisers: [ben.memberId, cat.memberId], deadline: at(48) }, T0);

function code(attempt: () => unknown) {
  try {
    attempt();
    return "accepted";
  } catch (error) {
    return error instanceof DomainError ? error.code : "crash";
  }
}

describe("the advice process", () => {
  it("is started by someone in the circle who names advisers other than themselves", () => {
    expect(
      code(() => askForAdvice({ circleId, proposer: cat, advisers: [ben.memberId], deadline: null }, T0)),
    ).toBe("forbidden");
    expect(code(() => askForAdvice({ circleId, proposer: ann, advisers: [], deadline: null }, T0))).toBe(
      "validation_failed",
    );
    expect(
      code(() => askForAdvice({ circleId, proposer: ann, advisers: [ann.memberId], deadline: null }, T0)),
    ).toBe("validation_failed");
  });

  it("lets the proposer decide only once every adviser is heard, and the decision carries their advice", () => {
    let adviceProcess = recordAdvice(
      asked(),
      ben,
      { adviserId: ben.memberId, text: "Ask the treasurer first" },
      at(1),
    );
    expect(
      code(() => decideAfterAdvice(adviceProcess, ann, { outcome: "proceed", rationale: "Go" }, at(2))),
    ).toBe("invalid_transition");
    expect(advicePermissions(ann, adviceProcess, at(2))).toEqual({ recordAdvice: true, decide: false });
    // The proposer records what Cat said on a call.
    adviceProcess = recordAdvice(adviceProcess, ann, { adviserId: cat.memberId, text: "Fine by me" }, at(3));
    expect(
      code(() => decideAfterAdvice(adviceProcess, ben, { outcome: "proceed", rationale: "Go" }, at(4))),
    ).toBe("forbidden");
    const decided = decideAfterAdvice(
      adviceProcess,
      ann,
      { outcome: "proceed", rationale: "Treasurer agreed" },
      at(4),
    );
    expect(decided.decision).toMatchObject({
      outcome: "proceed",
      notAdvised: [],
      advice: [
        { adviserId: "ben", recordedBy: "ben", text: "Ask the treasurer first" },
        { adviserId: "cat", recordedBy: "ann", text: "Fine by me" },
      ],
    });
    expect(code(() => recordAdvice(decided, ben, { adviserId: ben.memberId, text: "Late" }, at(5)))).toBe(
      "invalid_transition",
    );
  });

  it("after the deadline lets the proposer decide without the silent, naming them", () => {
    const adviceProcess = recordAdvice(asked(), ben, { adviserId: ben.memberId, text: "Yes" }, at(1));
    const decided = decideAfterAdvice(
      adviceProcess,
      ann,
      { outcome: "abandon", rationale: "Too costly" },
      at(48),
    );
    expect(decided.decision?.notAdvised).toEqual(["cat"]);
  });

  it("records advice only from the named advisers, given by them or by the proposer", () => {
    const adviceProcess = asked();
    expect(code(() => recordAdvice(adviceProcess, ben, { adviserId: cat.memberId, text: "x" }, at(1)))).toBe(
      "forbidden",
    );
    expect(
      code(() => recordAdvice(adviceProcess, ann, { adviserId: "dan" as MemberId, text: "x" }, at(1))),
    ).toBe("validation_failed");
    expect(code(() => recordAdvice(adviceProcess, ben, { adviserId: ben.memberId, text: " " }, at(1)))).toBe(
      "validation_failed",
    );
  });
});
