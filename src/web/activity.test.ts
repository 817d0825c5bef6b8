import { describe, expect, it } from "vitest";
import { activityLines } from "./activity.js";
import type { LogEntry } from "./api.js";

let seq = 0;
const entry = (type: string, actorName: string | null, payload: Record<string, unknown>): LogEntry => ({
  seq: ++seq,
  type,
  actor: null,
  actorName,
  payload,
  at: "2026-01-05T09:00:00.000Z",
});

const names = {
  titles: new Map([["p1", "Tool library"]]),
  members: new Map([["m3", "Cat"]]),
};

describe("recent activity in plain language", () => {
  it("says who did what to which proposal", () => {
    const lines = activityLines(
      [
        entry("proposal.presented", "Ann", { proposalId: "p1" }),
        entry("proposal.responded", "Cat", { proposalId: "p1", response: "object" }),
        entry("objection.raised", "Cat", { proposalId: "p1" }),
        entry("proposal.responded", "Ben", { proposalId: "p1", response: "consent_with_concern" }),
        entry("proposal.round_closed", null, { proposalId: "p1", outcome: "objections_open" }),
        entry("proposal.advanced", "Fay", { proposalId: "p1", to: "integrating" }),
      ],
      names,
    );
    expect(lines.map((line) => line.text)).toEqual([
      "Ann presented Tool library",
      "Cat objected to Tool library",
      "Ben consented with a concern to Tool library",
      "The round on Tool library closed with objections to integrate",
      "Fay moved Tool library to integrating objections",
    ]);
    expect(lines.every((line) => line.proposalId === "p1")).toBe(true);
  });

  it("takes a new proposal's title from its entry and names members by id", () => {
    const lines = activityLines(
      [
        entry("proposal.created", "Ann", { proposalId: "p2", title: "Quiet hours" }),
        entry("member.joined", null, { memberId: "m3" }),
        entry("proposal.withdrawn", "Ann", { proposalId: "p9" }),
      ],
      names,
    );
    expect(lines.map((line) => line.text)).toEqual([
      "Ann drafted Quiet hours",
      "Cat joined",
      "Ann withdrew a proposal",
    ]);
  });
});
