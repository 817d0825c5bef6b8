import { describe, expect, it } from "vitest";
import type { OrgAccess, Viewer } from "./access.js";
import type { ProposalId } from "./consent/ids.js";
import { DomainError } from "./errors.js";
import {
  adoptedByGroup,
  assertMayRequestReview,
  assertReview,
  cleanReviewGroup,
  type PerformanceReview,
  type PlanOutcome,
  type ReviewId,
  readsFeedback,
  reviewPermissions,
  reviewState,
} from "./feedback.js";
import type { AssignmentId, CircleId, MemberId, RoleId } from "./ids.js";

const person = (name: string, access: OrgAccess = "member"): Viewer => ({
  memberId: name as MemberId,
  access,
  circleIds: new Set(["garden" as CircleId]),
});
const hana = person("hana"); // the holder
const rita = person("rita"); // reviewers
const raj = person("raj");
const cora = person("cora"); // another circle member
const ada = person("ada", "admin");

const T0 = new Date("2026-03-01T10:00:00Z");

function codeOf(action: () => unknown) {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ok";
}

const review = (fields: Partial<PerformanceReview> = {}): PerformanceReview => ({
  id: "r1" as ReviewId,
  holderId: hana.memberId,
  assignmentId: "a1" as AssignmentId,
  roleId: "treasurer" as RoleId,
  circleId: "garden" as CircleId,
  reviewerIds: [rita.memberId, raj.memberId],
  note: "",
  requestedAt: T0,
  answeredBy: [],
  plans: [],
  ...fields,
});
const withPlan = (answeredBy = [rita.memberId]) =>
  review({ answeredBy, plans: [{ proposalId: "p1" as ProposalId, at: T0 }] });
const plan = (state: PlanOutcome["state"], participants: string[] = []): PlanOutcome => ({
  state,
  participants: participants as MemberId[],
});

describe("a performance review", () => {
  it("is asked for by the holder of a term that has started, of a group of others", () => {
    const term = { memberId: hana.memberId, startsAt: T0, shadow: false };
    expect(codeOf(() => assertMayRequestReview(hana, term, T0))).toBe("ok");
    expect(codeOf(() => assertMayRequestReview(rita, term, T0))).toBe("forbidden");
    expect(codeOf(() => assertMayRequestReview(ada, term, T0))).toBe("forbidden");
    expect(codeOf(() => assertMayRequestReview(hana, { ...term, shadow: true }, T0))).toBe(
      "validation_failed",
    );
    expect(
      codeOf(() => assertMayRequestReview(hana, { ...term, startsAt: new Date(T0.getTime() + 1) }, T0)),
    ).toBe("invalid_transition");
    const group = (ids: string[]) => () => cleanReviewGroup(hana.memberId, ids as MemberId[]);
    expect(group(["rita", "raj"])()).toEqual(["rita", "raj"]);
    for (const bad of [[], ["rita", "rita"], ["rita", "hana"], Array.from({ length: 13 }, (_, i) => `p${i}`)])
      expect(codeOf(group(bad))).toBe("validation_failed");
  });

  it("takes feedback from each reviewer once, while no plan is before the group", () => {
    expect(codeOf(() => assertReview(review(), null, { type: "answer", actor: rita }))).toBe("ok");
    for (const outsider of [hana, cora, ada, person("rita", "observer")])
      expect(codeOf(() => assertReview(review(), null, { type: "answer", actor: outsider }))).toBe(
        "forbidden",
      );
    expect(
      codeOf(() =>
        assertReview(review({ answeredBy: [rita.memberId] }), null, { type: "answer", actor: rita }),
      ),
    ).toBe("conflict");
    expect(codeOf(() => assertReview(withPlan(), plan("presented"), { type: "answer", actor: raj }))).toBe(
      "invalid_transition",
    );
  });

  it("lets the holder draft a plan once someone has answered, and again if the last one failed", () => {
    const draft = (r: PerformanceReview, p: PlanOutcome | null, actor = hana) =>
      codeOf(() => assertReview(r, p, { type: "draftPlan", actor }));
    expect(draft(review(), null)).toBe("invalid_transition");
    expect(draft(review({ answeredBy: [rita.memberId] }), null)).toBe("ok");
    expect(draft(review({ answeredBy: [rita.memberId] }), null, rita)).toBe("forbidden");
    expect(draft(withPlan(), plan("consent_round", ["rita", "raj"]))).toBe("invalid_transition");
    expect(draft(withPlan(), plan("withdrawn"))).toBe("ok");
    expect(draft(withPlan(), plan("adopted", ["rita", "raj"]))).toBe("invalid_transition");
  });

  it("is complete once the plan is adopted in a round the whole group took part in", () => {
    expect(reviewState(review(), null)).toBe("gathering");
    expect(reviewState(withPlan(), plan("reactions"))).toBe("planning");
    expect(reviewState(withPlan(), plan("adopted", ["hana", "rita", "raj"]))).toBe("complete");
    // Adopted by the circle without the group is not the group's consent: the holder drafts again.
    expect(adoptedByGroup(withPlan(), plan("adopted", ["hana", "rita", "cora"]))).toBe(false);
    expect(reviewState(withPlan(), plan("adopted", ["hana", "rita", "cora"]))).toBe("gathering");
    expect(reviewState(withPlan(), plan("lapsed", ["rita", "raj"]))).toBe("gathering");
  });

  it("shows the answers to the holder and the review group only, admins included in the refusal", () => {
    const r = review();
    expect([hana, rita, raj, cora, ada].map((v) => readsFeedback(v, r))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(reviewPermissions(rita, r, null)).toEqual({ answer: true, readAnswers: true, draftPlan: false });
    expect(reviewPermissions(ada, r, null)).toEqual({ answer: false, readAnswers: false, draftPlan: false });
    expect(reviewPermissions(hana, review({ answeredBy: [raj.memberId] }), null)).toEqual({
      answer: false,
      readAnswers: true,
      draftPlan: true,
    });
  });
});
