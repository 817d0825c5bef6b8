import { describe, expect, it } from "vitest";
import type { Proposal } from "./api.js";
import { proposalSteps } from "./proposals.js";

type Shape = Parameters<typeof proposalSteps>[0];

const consent = (fields: Partial<Shape>): Shape => ({
  state: "draft",
  method: { kind: "consent" },
  rounds: [],
  reactions: [],
  questions: [],
  advice: [],
  objections: [],
  ...fields,
});

const summary = (proposal: Shape) => proposalSteps(proposal).map((step) => `${step.label}:${step.status}`);

describe("the steps of a proposal", () => {
  it("marks the phases behind the current one done and the rest to come", () => {
    expect(summary(consent({ state: "reactions" }))).toEqual([
      "Draft:done",
      "Presented:done",
      "Clarifying:done",
      "Reactions:current",
      "Consent round:upcoming",
      "Adopted:upcoming",
    ]);
  });

  it("shows integration once a round has raised objections, and the end as it came", () => {
    const objection = {} as Proposal["objections"][number];
    const round = {} as Proposal["rounds"][number];
    expect(summary(consent({ state: "integrating", objections: [objection], rounds: [round] }))).toContain(
      "Integrating:current",
    );
    expect(summary(consent({ state: "adopted", objections: [objection], rounds: [round, round] }))).toEqual([
      "Draft:done",
      "Presented:done",
      "Clarifying:done",
      "Reactions:done",
      "Consent round:done",
      "Integrating:done",
      "Adopted:current",
    ]);
  });

  it("shows the phases a withdrawn proposal never reached as skipped", () => {
    const question = {} as Proposal["questions"][number];
    expect(summary(consent({ state: "withdrawn", questions: [question] }))).toEqual([
      "Draft:done",
      "Presented:done",
      "Clarifying:done",
      "Reactions:skipped",
      "Consent round:skipped",
      "Withdrawn:current",
    ]);
  });

  it("gives the advice process its own short path", () => {
    expect(summary(consent({ state: "advice", method: { kind: "advice", advisers: ["b"] } }))).toEqual([
      "Draft:done",
      "Advice:current",
      "Decided:upcoming",
    ]);
  });
});
