import { describe, expect, it } from "vitest";
import { asReloaded, loadProposal, saveProposal } from "../src/app/proposals/store.js";
import type { Viewer } from "../src/core/access.js";
import { transition } from "../src/core/consent/transition.js";
import type { CircleId, MemberId } from "../src/core/ids.js";
import { withTestEnv } from "./support/harness.js";
import { circleStage, type Person, proposalInRound } from "./support/proposals.js";

const env = withTestEnv();

describe("a proposal kept by its writer between batches", () => {
  it("is what loading it again gives after responses, and nothing is kept after any other change", async () => {
    const stage = await circleStage(env, 2);
    const [ben, cat] = stage.members as [Person, Person];
    const id = await proposalInRound(stage);
    const as = (person: Person): Viewer => ({
      memberId: person.memberId as MemberId,
      access: "member",
      circleIds: new Set([stage.circleId as CircleId]),
    });
    const now = env.clock.now();
    const load = () => loadProposal(env.db, stage.org.id, id, { now });

    // A batch in which Ben changes his mind and Cat answers, on top of an earlier batch.
    let stored = await load();
    for (const [person, response] of [
      [stage.author, { kind: "consent" }],
      [ben, { kind: "consent_with_concern", concern: "Mind the tools" }],
      [ben, { kind: "consent" }],
      [cat, { kind: "consent_with_concern", concern: "Label them" }],
    ] as const) {
      const before = stored;
      const after = transition(
        before.proposal,
        { type: "respond", actor: as(person), response },
        now,
      ).proposal;
      await env.db.transaction((tx) => saveProposal(tx, stage.org.id, before, after, now));
      const kept = asReloaded(before, after);
      expect(kept).toEqual(await load());
      stored = kept ?? (await load());
    }
    expect(stored.proposal.rounds[0]?.responses.map((r) => r.memberId)).toEqual([
      stage.author.memberId,
      ben.memberId,
      cat.memberId,
    ]);
    expect(stored.responsesCount.get(1)).toBe(4);

    // An objection opens a record of its own: the writer loads the proposal again rather than replay it.
    const objecting = transition(
      stored.proposal,
      {
        type: "respond",
        actor: as(stage.facilitator),
        response: { kind: "object", objectionId: env.ctx.newId() as never, reason: "The shed is too small" },
      },
      now,
    ).proposal;
    expect(asReloaded(stored, objecting)).toBeNull();
  });
});
