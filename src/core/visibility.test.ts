import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Viewer } from "./access.js";
import type { MemberId } from "./ids.js";
import type { LogEntry } from "./log.js";
import { entriesForViewer } from "./visibility.js";

const viewer = (memberId: string): Viewer => ({
  memberId: memberId as MemberId,
  access: "member",
  circleIds: new Set(),
});

let seq = 0;
const entry = (type: string, payload: Record<string, unknown>): LogEntry => ({
  orgId: "org",
  seq: ++seq,
  type,
  actor: null,
  payload,
  at: new Date("2026-01-01T00:00:00Z"),
  prevHash: "0",
  hash: "1",
});

describe("what a viewer sees of the log", () => {
  const log = [
    entry("proposal.created", { proposalId: "p", draft: true, authorId: "ann", title: "Tool library" }),
    entry("proposal.amended", { proposalId: "p", draft: true, authorId: "ann", version: 2 }),
    entry("proposal.presented", { proposalId: "p", title: "Tool library" }),
    entry("proposal.amended", { proposalId: "p", version: 3, kind: "friendly" }),
    entry("selection.nominated", { selectionId: "s", nominatorId: "ben", nomineeId: "cat" }),
    entry("selection.revealed", { selectionId: "s" }),
  ];
  const seenBy = (memberId: string) => entriesForViewer(log, viewer(memberId)).map((e) => e.seq);

  it("shows a draft's entries to its author alone, and what follows its presentation to everyone", () => {
    const [created, revised, presented, friendly, nominated, revealed] = log.map((e) => e.seq);
    expect(seenBy("ann")).toEqual([created, revised, presented, friendly, revealed]);
    expect(seenBy("ben")).toEqual([presented, friendly, nominated, revealed]);
    expect(seenBy("cat")).toEqual([presented, friendly, revealed]);
  });

  it("keeps the log's order and never alters an entry it shows", () => {
    fc.assert(
      fc.property(fc.subarray(log), fc.constantFrom("ann", "ben", "cat", "dan"), (entries, memberId) => {
        const seen = entriesForViewer(entries, viewer(memberId));
        expect(seen.every((e) => entries.includes(e))).toBe(true);
        expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => a - b));
      }),
    );
  });

  it("keeps a viewer limited to some circles to their governance, and shows what is not governance", () => {
    const entries = [
      entry("proposal.presented", { proposalId: "p1", circleId: "garden" }),
      entry("proposal.responded", { proposalId: "p1" }),
      entry("meeting.opened", { meetingId: "m", circleId: "kitchen" }),
      entry("selection.revealed", { selectionId: "s" }),
      entry("member.joined", { memberId: "dan" }),
    ];
    const circleOf = (e: LogEntry) =>
      typeof e.payload.circleId === "string"
        ? e.payload.circleId
        : e.payload.proposalId === "p1"
          ? "garden"
          : null;
    const seen = entriesForViewer(entries, viewer("dan"), { limitedTo: new Set(["kitchen"]), circleOf });
    // The election's circle is unknown here: a limited reader is not shown it.
    expect(seen.map((e) => e.type)).toEqual(["meeting.opened", "member.joined"]);
    expect(entriesForViewer(entries, viewer("dan"))).toEqual(entries);
  });
});
