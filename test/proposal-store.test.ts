import { describe, expect, it } from "vitest";
import {
  asReloaded,
  loadProposal,
  recordResponsesUnlocked,
  type StoredProposal,
  saveProposal,
} from "../src/app/proposals/store.js";
import type { Viewer } from "../src/core/access.js";
import { transition } from "../src/core/consent/transition.js";
import type { CircleId, MemberId } from "../src/core/ids.js";
import { appendLog, chainEntries, type LogHead, verifyOrgLog } from "../src/db/log.js";
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

describe("responses recorded without a lock", () => {
  it("are written in one statement while neither the proposal nor the log moved, and not at all once either did", async () => {
    const stage = await circleStage(env, 2);
    const [ben, cat] = stage.members as [Person, Person];
    const orgId = stage.org.id;
    const id = await proposalInRound(stage);
    const now = env.clock.now();
    const load = () => loadProposal(env.db, orgId, id, { now });
    const revisionNow = async () =>
      (await env.db.query<{ revision: number }>("SELECT revision FROM proposals WHERE id = $1", [id])).rows[0]
        ?.revision as number;
    const headNow = async () =>
      (await env.db.query<LogHead>("SELECT seq, hash FROM log_heads WHERE org_id = $1", [orgId]))
        .rows[0] as LogHead;
    /** The write of one member's consent on top of `stored`, chained onto `head`. */
    const consentOf = (person: Person, stored: StoredProposal, revision: number, head: LogHead) => {
      const viewer: Viewer = {
        memberId: person.memberId as MemberId,
        access: "member",
        circleIds: new Set([stage.circleId as CircleId]),
      };
      const made = transition(
        stored.proposal,
        { type: "respond", actor: viewer, response: { kind: "consent" } },
        now,
      );
      const events = made.events.map((e) => ({ type: e.type, actor: person.memberId, payload: e.payload }));
      const { written } = chainEntries(orgId, head, now, events);
      return { stored, revision, after: made.proposal, head, entries: written, now };
    };
    const currentOf = (stored: StoredProposal) => stored.proposal.rounds[0]?.responses.map((r) => r.memberId);

    const before = await load();
    const write = consentOf(ben, before, await revisionNow(), await headNow());
    const lock = await recordResponsesUnlocked(env.db, orgId, write);
    expect(lock).toEqual({ revision: write.revision + 1, facilitatorIds: [stage.facilitator.memberId] });
    const afterBen = await load();
    expect(asReloaded(before, write.after)).toEqual(afterBen);
    expect(currentOf(afterBen)).toEqual([ben.memberId]);
    expect(await headNow()).toEqual({ seq: write.entries.at(-1)?.seq, hash: write.entries.at(-1)?.hash });
    expect(await verifyOrgLog(env.db, orgId)).toMatchObject({ ok: true });

    // The same write again: the proposal is past that revision, so nothing is written.
    expect(
      await recordResponsesUnlocked(env.db, orgId, consentOf(cat, before, write.revision, write.head)),
    ).toBeNull();
    expect(await load()).toEqual(afterBen);

    // Another transaction appended to the log since: the proposal is current, the head is not.
    const staleHead = await headNow();
    await env.db.transaction((tx) =>
      appendLog(tx, orgId, now, [
        { type: "circle.updated", actor: null, payload: { circleId: stage.circleId } },
      ]),
    );
    const revision = await revisionNow();
    expect(
      await recordResponsesUnlocked(env.db, orgId, consentOf(cat, afterBen, revision, staleHead)),
    ).toBeNull();
    expect(currentOf(await load())).toEqual([ben.memberId]);
    expect((await headNow()).seq).toBe(staleHead.seq + 1);
    expect(await verifyOrgLog(env.db, orgId)).toMatchObject({ ok: true });

    // Chained onto the log as it ends now, Cat's consent is written.
    const current = await load();
    expect(
      await recordResponsesUnlocked(
        env.db,
        orgId,
        consentOf(cat, current, await revisionNow(), await headNow()),
      ),
    ).not.toBeNull();
    expect(currentOf(await load())).toEqual([ben.memberId, cat.memberId]);
    expect(await verifyOrgLog(env.db, orgId)).toMatchObject({ ok: true });
  });
});
