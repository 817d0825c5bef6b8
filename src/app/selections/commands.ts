import type { Viewer } from "../../core/access.js";
import type { ObjectionId } from "../../core/consent/ids.js";
import type { QuorumRule } from "../../core/consent/quorum.js";
import { conflict, notFound } from "../../core/errors.js";
import type { CircleId, MemberId, RoleId } from "../../core/ids.js";
import type { FillingPolicy } from "../../core/roles.js";
import type { ResolutionInput, SelectionCommand } from "../../core/selection/commands.js";
import type { SelectionId } from "../../core/selection/ids.js";
import { refusal } from "../../core/selection/permissions.js";
import type { Selection } from "../../core/selection/selection.js";
import { startSelection as start, transition } from "../../core/selection/transition.js";
import { assertTermLimit } from "../../core/terms.js";
import type { Queryable } from "../../db/database.js";
import { listAssignments } from "../assignments.js";
import { type AppContext, runCommand } from "../context.js";
import type { Org } from "../orgs.js";
import { lockRole as lockRoleTerms, roleTerms } from "../proposal-effects.js";
import { circleParticipants, facilitatorsOf } from "../proposals/commands.js";
import { applySelectionEvent } from "./effects.js";
import { canReadSelection } from "./queries.js";
import { insertSelection, loadSelection, saveSelection } from "./store.js";

/** Terms run a year unless the role says otherwise. */
const DEFAULT_TERM_DAYS = 365;

/** The role being filled, locked so that two selections for it cannot start at once. */
async function lockRole(tx: Queryable, orgId: string, roleId: string) {
  const { rows } = await tx.query<{
    circle_id: CircleId;
    filling_policy: FillingPolicy;
    term_days: number | null;
    qualifications: string[];
    archived_at: Date | null;
    circle_archived_at: Date | null;
  }>(
    `SELECT r.circle_id, r.filling_policy, r.term_days, r.qualifications, r.archived_at,
       c.archived_at AS circle_archived_at
     FROM roles r JOIN circles c ON c.org_id = r.org_id AND c.id = r.circle_id
     WHERE r.org_id = $1 AND r.id = $2 FOR UPDATE OF r`,
    [orgId, roleId],
  );
  const row = rows[0];
  if (!row) throw notFound("Role", roleId);
  if (row.archived_at || row.circle_archived_at) throw conflict("This role is archived", { roleId });
  return row;
}

export interface StartSelectionInput {
  roleId: string;
  termDays?: number | undefined;
  description?: string | null | undefined;
  quorum?: QuorumRule | undefined;
}

/**
 * Starts a selection for a role filled by election, by someone who takes part in its circle. The
 * participants (the circle's members and its child circles' links) are fixed now; the term starts
 * from the role's and the qualifications from those kept with the role by its last selection.
 */
export async function startSelection(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: StartSelectionInput,
): Promise<Selection> {
  const id = ctx.newId() as SelectionId;
  const { result } = await runCommand(ctx, org.id, async (scope) => {
    const { tx, now, log } = scope;
    const role = await lockRole(tx, org.id, input.roleId);
    const { selection, events } = start(
      {
        id,
        roleId: input.roleId as RoleId,
        circleId: role.circle_id,
        startedBy: viewer,
        facilitatorIds: await facilitatorsOf(tx, org.id, role.circle_id, now),
        participants: await circleParticipants(tx, org.id, role.circle_id, now),
        termDays: input.termDays ?? role.term_days ?? DEFAULT_TERM_DAYS,
        description: input.description ?? null,
        qualifications: role.qualifications,
        quorum: input.quorum,
      },
      now,
    );
    if (role.filling_policy !== "election")
      throw conflict(`This role is filled by ${role.filling_policy}, not by election`, {
        roleId: input.roleId,
        fillingPolicy: role.filling_policy,
      });
    const running = await tx.query<{ id: string }>(
      "SELECT id FROM selections WHERE org_id = $1 AND role_id = $2 AND state NOT IN ('elected', 'cancelled')",
      [org.id, input.roleId],
    );
    if (running.rows[0])
      throw conflict("A selection for this role is already under way", { electionId: running.rows[0].id });
    await insertSelection(tx, org.id, selection);
    for (const event of events) log({ type: event.type, actor: viewer.memberId, payload: event.payload });
    return selection;
  });
  return result;
}

/**
 * Runs one command on a selection under its row lock: load, the core's transition, save, and log each
 * event with what it changes elsewhere (the role's qualifications, the election's assignments). A
 * refusal throws before anything is written. A selection the viewer may not read stays "not found".
 */
async function command(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  build: (selection: Selection, tx: Queryable) => SelectionCommand | Promise<SelectionCommand>,
): Promise<Selection> {
  const { result } = await runCommand(ctx, org.id, async (scope) => {
    const { tx, now, log } = scope;
    const selection = await loadSelection(tx, org.id, selectionId, { now, lock: true });
    if (!canReadSelection(viewer, selection, org.settings)) throw notFound("Election", selectionId);
    const after = transition(selection, await build(selection, tx), now);
    await saveSelection(tx, org.id, after.selection, now);
    for (const event of after.events) {
      log({ type: event.type, actor: viewer.memberId, payload: event.payload });
      await applySelectionEvent(scope, org.id, after.selection, event, {
        actor: viewer.memberId,
        newId: ctx.newId,
      });
    }
    return after.selection;
  });
  return result;
}

/**
 * The states a selection is asked to move to, each reached by one phase command, and `decided`: close
 * the running consent round (once everyone has responded or its deadline has passed) and let the rules
 * decide. Naming the target rather than "next" makes a repeated or concurrent request safe: the second
 * of two facilitators asking for `nominating` finds the selection already there and gets a conflict.
 */
export type AdvanceInput =
  | {
      to: "qualifying";
      termDays?: number | undefined;
      description?: string | null | undefined;
      deadline?: Date | null | undefined;
    }
  | { to: "nominating"; qualifications?: string[] | undefined; deadline?: Date | null | undefined }
  | { to: "changing"; deadline?: Date | null | undefined }
  | { to: "proposing" }
  | { to: "consent_round"; deadline?: Date | null | undefined }
  | { to: "decided" };

export function advanceSelection(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  input: AdvanceInput,
) {
  // Each target is one command of the core, which refuses it in any other state than the one before.
  return command(ctx, org, viewer, selectionId, (selection): SelectionCommand => {
    switch (input.to) {
      case "qualifying":
        return {
          type: "agreeTerm",
          actor: viewer,
          termDays: input.termDays ?? selection.term.days,
          description: input.description,
          deadline: input.deadline ?? null,
        };
      case "nominating":
        return {
          type: "agreeQualifications",
          actor: viewer,
          qualifications: input.qualifications ?? selection.qualifications,
          deadline: input.deadline ?? null,
        };
      case "changing":
        return { type: "revealNominations", actor: viewer, deadline: input.deadline ?? null };
      case "proposing":
        return { type: "closeChanges", actor: viewer };
      case "consent_round":
        return { type: "openConsentRound", actor: viewer, deadline: input.deadline ?? null };
      case "decided":
        return { type: "decide", actor: viewer };
    }
  });
}

export const nominate = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  input: { nomineeId: string; reason: string },
) =>
  command(ctx, org, viewer, selectionId, () => ({
    type: "nominate",
    actor: viewer,
    nomineeId: input.nomineeId as MemberId,
    reason: input.reason,
  }));

/**
 * The facilitator proposes a nominee with reasons, for a term no longer than the one consented to. A
 * nominee who has held the role for as many consecutive terms as it allows cannot be proposed again.
 */
export const proposeNominee = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  input: { nomineeId: string; reasons: string; termDays?: number | undefined },
) =>
  command(ctx, org, viewer, selectionId, async (selection, tx) => {
    const role = await lockRoleTerms(tx, org.id, selection.roleId);
    if (role)
      assertTermLimit(
        roleTerms(role, await listAssignments(tx, org.id, role.id)),
        input.nomineeId as MemberId,
      );
    return {
      type: "propose",
      actor: viewer,
      nomineeId: input.nomineeId as MemberId,
      reasons: input.reasons,
      termDays: input.termDays ?? selection.term.days,
    };
  });

/** A response as it arrives over HTTP; an objection's id is made here. */
export type SelectionRespondInput =
  | { kind: "consent" }
  | { kind: "consent_with_concern"; concern: string }
  | { kind: "object"; reason: string };

export const respondToNominee = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  input: SelectionRespondInput,
) =>
  command(ctx, org, viewer, selectionId, () => ({
    type: "respond",
    actor: viewer,
    response:
      input.kind === "object"
        ? { kind: "object", objectionId: ctx.newId() as ObjectionId, reason: input.reason }
        : input,
  }));

export const resolveSelectionObjection = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  selectionId: string,
  objectionId: string,
  resolution: ResolutionInput,
) =>
  command(ctx, org, viewer, selectionId, () => ({
    type: "resolveObjection",
    actor: viewer,
    objectionId: objectionId as ObjectionId,
    resolution,
  }));

export const cancelSelection = (ctx: AppContext, org: Org, viewer: Viewer, selectionId: string) =>
  command(ctx, org, viewer, selectionId, () => ({ type: "cancel", actor: viewer }));

/**
 * Closes every election round whose deadline has passed, as the system (no actor), each under its row
 * lock and re-checked there, so several server processes sweeping at once log each closing once.
 */
export async function closeElectionRoundsPastDeadline(ctx: AppContext) {
  const now = ctx.now();
  const { rows } = await ctx.db.query<{ org_id: string; id: string }>(
    `SELECT org_id, id FROM selections WHERE state = 'consent_round' AND phase_deadline <= $1
     ORDER BY phase_deadline LIMIT 500`,
    [now],
  );
  let closed = 0;
  for (const row of rows) {
    const { result } = await runCommand(ctx, row.org_id, async (scope) => {
      const { tx, now: at, log } = scope;
      const selection = await loadSelection(tx, row.org_id, row.id, { now: at, lock: true });
      const decide = { type: "decide" as const, actor: null };
      if (refusal(selection, decide, at)) return false;
      const after = transition(selection, decide, at);
      await saveSelection(tx, row.org_id, after.selection, at);
      for (const event of after.events) {
        log({ type: event.type, actor: null, payload: event.payload });
        await applySelectionEvent(scope, row.org_id, after.selection, event, {
          actor: null,
          newId: ctx.newId,
        });
      }
      return true;
    });
    if (result) closed++;
  }
  return closed;
}
