import { invalid } from "../errors.js";
import type { MemberId } from "../ids.js";
import type { ObjectionId } from "./ids.js";
import type { Proposal } from "./proposal.js";
import { requireText } from "./proposal.js";
import { quorumNeeded } from "./quorum.js";

/**
 * The circle's recorded consent that an objection is not paramount: who consented (participants of the
 * round the objection was raised in, enough to meet the quorum) and where it is recorded (e.g. the minutes).
 */
export interface CircleConsent {
  consentedBy: readonly MemberId[];
  record: string;
}

/**
 * How an open objection is resolved. Integration takes one of three forms: an amendment of the text (a
 * version made while integrating), a shorter term (an earlier review), or a measure checked at review.
 */
export type Resolution =
  | { outcome: "integrated"; by: "amendment"; version: number }
  | { outcome: "integrated"; by: "shorter_term"; reviewMonths: number }
  | { outcome: "integrated"; by: "measure"; measure: string }
  | { outcome: "withdrawn" }
  | { outcome: "overruled"; circleConsent: CircleConsent };

export type ObjectionResolution = Resolution & { resolvedBy: MemberId; at: Date };

/**
 * An objection: how the proposal (in the version of its round) would harm the circle's aim. It lives
 * on its own, `open → integrated | withdrawn | overruled`, and is never deleted.
 */
export interface Objection {
  id: ObjectionId;
  round: number;
  version: number;
  memberId: MemberId;
  reason: string;
  suggestedAmendment: string | null;
  raisedAt: Date;
  resolution: ObjectionResolution | null;
}

export type ObjectionStatus = "open" | Resolution["outcome"];

export const objectionStatus = (objection: Objection): ObjectionStatus =>
  objection.resolution?.outcome ?? "open";

export const openObjections = (proposal: Pick<Proposal, "objections">) =>
  proposal.objections.filter((objection) => objection.resolution === null);

/** The shortest term any integrated objection asked for, or the proposal's own review period. */
export function effectiveReviewMonths(proposal: Pick<Proposal, "objections" | "reviewMonths">): number {
  let months = proposal.reviewMonths;
  for (const objection of proposal.objections) {
    const resolution = objection.resolution;
    if (resolution?.outcome === "integrated" && resolution.by === "shorter_term")
      months = Math.min(months, resolution.reviewMonths);
  }
  return months;
}

/**
 * Checks what a resolution claims against the record: an amendment must be a version made to integrate
 * objections after this one was raised; a shorter term must be shorter than the term in force; an
 * overruling needs a quorum of the round's participants consenting that the objection is not paramount.
 */
export function checkResolution(
  proposal: Proposal,
  objection: Objection,
  resolution: Resolution,
): Resolution {
  switch (resolution.outcome) {
    case "integrated":
      if (resolution.by === "amendment") {
        const version = proposal.versions.find((v) => v.number === resolution.version);
        if (version?.kind !== "integration" || version.number <= objection.version)
          throw invalid("Name a version amended to integrate objections after this objection was raised", {
            field: "version",
          });
        return resolution;
      }
      if (resolution.by === "shorter_term") {
        const current = effectiveReviewMonths(proposal);
        if (!Number.isInteger(resolution.reviewMonths) || resolution.reviewMonths < 1)
          throw invalid("A term is a whole number of months, at least one", { field: "reviewMonths" });
        if (resolution.reviewMonths >= current)
          throw invalid(`A shorter term is less than the ${current} months now in force`, {
            field: "reviewMonths",
            current,
          });
        return resolution;
      }
      return { ...resolution, measure: requireText(resolution.measure, "measure", "A measure") };
    case "withdrawn":
      return resolution;
    case "overruled":
      return {
        ...resolution,
        circleConsent: checkCircleConsent(proposal, objection, resolution.circleConsent),
      };
  }
}

function checkCircleConsent(proposal: Proposal, objection: Objection, consent: CircleConsent): CircleConsent {
  const round = proposal.rounds.find((r) => r.number === objection.round);
  const eligible = new Set(round?.eligible ?? []);
  const consentedBy = new Set(consent.consentedBy);
  if (consentedBy.size !== consent.consentedBy.length)
    throw invalid("Each member who consented is named once", { field: "circleConsent.consentedBy" });
  if (consent.consentedBy.some((memberId) => !eligible.has(memberId)))
    throw invalid("Only participants of the round may consent that an objection is not paramount", {
      field: "circleConsent.consentedBy",
    });
  const needed = quorumNeeded(eligible.size, proposal.quorum);
  if (consentedBy.size < needed)
    throw invalid(`Overruling an objection needs the consent of at least ${needed} participants`, {
      field: "circleConsent.consentedBy",
      needed,
    });
  return {
    consentedBy: consent.consentedBy,
    record: requireText(consent.record, "circleConsent.record", "Where the consent is recorded"),
  };
}
