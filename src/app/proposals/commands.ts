import type { Viewer } from "../../core/access.js";
import type { ProposalCommand, ResponseInput } from "../../core/consent/commands.js";
import type { ObjectionId, ProposalId, QuestionId } from "../../core/consent/ids.js";
import type { VotingMandate } from "../../core/consent/methods/vote.js";
import type { Resolution } from "../../core/consent/objections.js";
import { roundVerdict } from "../../core/consent/outcome.js";
import type { MandateGrant, Proposal } from "../../core/consent/proposal.js";
import type { QuorumRule } from "../../core/consent/quorum.js";
import { canReadProposal, reviewRefusal } from "../../core/consent/reading.js";
import type { ProposalState } from "../../core/consent/states.js";
import { draftProposal, transition } from "../../core/consent/transition.js";
import { DomainError, invalid, notFound } from "../../core/errors.js";
import type { CircleId, MemberId } from "../../core/ids.js";
import type { Queryable } from "../../db/database.js";
import { type AppContext, type CommandScope, runCommand } from "../context.js";
import type { Org } from "../orgs.js";
import { getDecision } from "./queries.js";
import { insertProposal, loadProposal } from "./store.js";
import { type StepOptions, type StepResult, writeProposal } from "./writer.js";

/**
 * Who takes part in a circle's rounds now: its members (observers never respond) and the leaders and
 * delegates of its child circles, who carry their circle's voice through the double link.
 */
export async function circleParticipants(db: Queryable, orgId: string, circleId: string, now: Date) {
  const { rows } = await db.query<{ member_id: MemberId }>(
    `SELECT cm.member_id FROM circle_members cm
       JOIN members m ON m.org_id = cm.org_id AND m.id = cm.member_id
     WHERE cm.org_id = $1 AND cm.circle_id = $2 AND cm.left_at IS NULL AND m.archived_at IS NULL AND m.access <> 'observer'
     UNION
     SELECT a.member_id FROM circles child
       JOIN roles r ON r.org_id = child.org_id AND r.circle_id = child.id AND r.kind IN ('leader', 'delegate')
       JOIN assignments a ON a.org_id = r.org_id AND a.role_id = r.id
       JOIN members m ON m.org_id = a.org_id AND m.id = a.member_id
     WHERE child.org_id = $1 AND child.parent_id = $2 AND child.archived_at IS NULL AND NOT a.shadow
       AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3) AND m.archived_at IS NULL AND m.access <> 'observer'
     ORDER BY 1`,
    [orgId, circleId, now],
  );
  return rows.map((r) => r.member_id);
}

/** Who holds the circle's facilitator role now (not shadows). */
export async function facilitatorsOf(db: Queryable, orgId: string, circleId: string, now: Date) {
  const { rows } = await db.query<{ member_id: MemberId }>(
    `SELECT a.member_id FROM assignments a JOIN roles r ON r.org_id = a.org_id AND r.id = a.role_id
     WHERE r.org_id = $1 AND r.circle_id = $2 AND r.kind = 'facilitator' AND r.archived_at IS NULL AND NOT a.shadow
       AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)
     ORDER BY a.starts_at, a.id`,
    [orgId, circleId, now],
  );
  return rows.map((r) => r.member_id);
}

export async function votingMandatesOf(
  db: Queryable,
  orgId: string,
  circleId: string,
): Promise<VotingMandate[]> {
  const { rows } = await db.query<{
    decision_class: string;
    consented_in: ProposalId;
    threshold: VotingMandate["threshold"];
    secret: boolean;
    quorum: QuorumRule;
  }>(
    `SELECT decision_class, consented_in, threshold, secret, quorum FROM voting_mandates
     WHERE org_id = $1 AND circle_id = $2 ORDER BY decision_class`,
    [orgId, circleId],
  );
  return rows.map((r) => ({
    decisionClass: r.decision_class,
    consentedIn: r.consented_in,
    threshold: r.threshold,
    secret: r.secret,
    quorum: r.quorum,
  }));
}

async function assertActiveCircle(db: Queryable, orgId: string, circleId: string) {
  const { rows } = await db.query(
    "SELECT 1 FROM circles WHERE org_id = $1 AND id = $2 AND archived_at IS NULL",
    [orgId, circleId],
  );
  if (rows.length === 0) throw notFound("Circle", circleId);
}

export type MethodInput =
  | { kind: "consent" }
  | { kind: "consensus" }
  | { kind: "advice"; advisers: string[] }
  | { kind: "vote"; decisionClass: string };

export interface CreateProposalInput {
  circleId: string;
  title: string;
  text: string;
  method?: MethodInput | undefined;
  quorum?: QuorumRule | undefined;
  reviewMonths?: number | undefined;
  grantsMandate?: MandateGrant | null | undefined;
  review?: { of: string; intent: "keep" | "amend" | "retire" } | null | undefined;
}

/** A new draft in a circle the author takes part in. */
export function createProposal(ctx: AppContext, org: Org, viewer: Viewer, input: CreateProposalInput) {
  return createProposalWith(ctx, org, viewer, input, {});
}

/**
 * What another use-case adds to a new proposal, in the same transaction: a check before it is drafted
 * (under whatever lock the check takes) and records written after it (e.g. the effect of adopting it).
 */
export interface DraftHooks {
  guard?: (scope: CommandScope) => Promise<void>;
  after?: (scope: CommandScope, proposal: Proposal) => Promise<void>;
}

export async function createProposalWith(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  input: CreateProposalInput,
  hooks: DraftHooks,
) {
  const id = ctx.newId() as ProposalId;
  const { result } = await runCommand(ctx, org.id, async (scope) => {
    const { tx, now, log } = scope;
    await hooks.guard?.(scope);
    await assertActiveCircle(tx, org.id, input.circleId);
    const circleId = input.circleId as CircleId;
    const method = input.method ?? { kind: "consent" as const };
    const { proposal, events } = draftProposal(
      {
        id,
        circleId,
        author: viewer,
        facilitatorIds: await facilitatorsOf(tx, org.id, circleId, now),
        title: input.title,
        text: input.text,
        method:
          method.kind === "advice" ? { kind: "advice", advisers: method.advisers as MemberId[] } : method,
        mandates: method.kind === "vote" ? await votingMandatesOf(tx, org.id, circleId) : [],
        quorum: input.quorum,
        reviewMonths: input.reviewMonths ?? org.settings.decisionReviewMonths,
        grantsMandate: input.grantsMandate ?? null,
        review: input.review ? { of: input.review.of as ProposalId, intent: input.review.intent } : null,
      },
      now,
    );
    if (method.kind === "advice") await assertCircleMembers(tx, org.id, method.advisers);
    await insertProposal(tx, org.id, proposal);
    for (const event of events) log({ type: event.type, actor: viewer.memberId, payload: event.payload });
    await hooks.after?.(scope, proposal);
    return proposal;
  });
  return result;
}

/** Advisers are active members of the organisation (advice may come from outside the circle). */
async function assertCircleMembers(db: Queryable, orgId: string, memberIds: readonly string[]) {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM members WHERE org_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NULL",
    [orgId, memberIds],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = memberIds.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw invalid("Advisers are members of the organisation", { field: "method.advisers", missing });
}

/** Reads a proposal for a viewer; one they may not read is "not found". */
export async function readProposal(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  options: { fullHistory?: boolean } = {},
) {
  const now = ctx.now();
  const stored = await loadProposal(ctx.db, org.id, proposalId, {
    now,
    fullHistory: options.fullHistory ?? true,
  });
  if (!canReadProposal(viewer, stored.proposal, org.settings)) throw notFound("Proposal", proposalId);
  return { ...stored, now };
}

/**
 * Runs one command through the proposal's writer. The reading rule is checked on the proposal as the
 * command finds it, so a proposal the viewer may not see stays "not found" rather than "forbidden".
 */
function command(
  ctx: AppContext,
  org: Org,
  viewer: Viewer | null,
  proposalId: string,
  build: (proposal: Proposal, tx: Queryable, now: Date) => Promise<ProposalCommand> | ProposalCommand,
  options: StepOptions = {},
): Promise<StepResult> {
  return writeProposal(
    ctx,
    org.id,
    proposalId,
    viewer?.memberId ?? null,
    async (proposal, { tx, now }) => {
      if (viewer && !canReadProposal(viewer, proposal, org.settings)) throw notFound("Proposal", proposalId);
      return transition(proposal, await build(proposal, tx, now), now);
    },
    options,
  );
}

/** The states a proposal is asked to move to, and `decided`: close the running round by its rules. */
export type AdvanceTarget = ProposalState | "decided";

const PHASE_AFTER: Partial<Record<ProposalState, ProposalState>> = {
  presented: "clarifying",
  clarifying: "reactions",
  objections_open: "integrating",
};

/**
 * Moves a proposal to the state asked for. Naming the target (not "next") makes a repeated or
 * concurrent request safe: the second of two facilitators asking for "clarifying" finds the proposal
 * already there and gets a conflict instead of pushing it one phase further.
 */
export function advanceProposal(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  input: { to: AdvanceTarget; deadline?: Date | null | undefined; participants?: string[] | undefined },
) {
  return command(ctx, org, viewer, proposalId, async (proposal, tx, now): Promise<ProposalCommand> => {
    const { to } = input;
    const deadline = input.deadline ?? null;
    const notNow = () =>
      new DomainError(
        "invalid_transition",
        `The proposal cannot move to ${to} while it is ${proposal.state}`,
        {
          state: proposal.state,
          to,
        },
      );
    switch (to) {
      case "presented":
      case "advice":
        if (proposal.state !== "draft" || (to === "advice") !== (proposal.method.kind === "advice"))
          throw notNow();
        return { type: "present", actor: viewer, deadline };
      case "clarifying":
      case "reactions":
      case "integrating":
        if (PHASE_AFTER[proposal.state] !== to) throw notNow();
        return { type: "advance", actor: viewer, deadline };
      case "consent_round": {
        const participants =
          (input.participants as MemberId[] | undefined) ??
          (await circleParticipants(tx, org.id, proposal.circleId, now));
        return { type: "openConsentRound", actor: viewer, participants, deadline };
      }
      case "withdrawn":
        return { type: "withdraw", actor: viewer };
      case "decided":
        return { type: "decide", actor: viewer };
      default:
        throw notNow();
    }
  });
}

export const askQuestion = (ctx: AppContext, org: Org, viewer: Viewer, proposalId: string, text: string) =>
  command(ctx, org, viewer, proposalId, () => ({
    type: "askQuestion",
    actor: viewer,
    questionId: ctx.newId() as QuestionId,
    text,
  }));

export const answerQuestion = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  questionId: string,
  text: string,
) =>
  command(ctx, org, viewer, proposalId, () => ({
    type: "answerQuestion",
    actor: viewer,
    questionId: questionId as QuestionId,
    text,
  }));

export const react = (ctx: AppContext, org: Org, viewer: Viewer, proposalId: string, text: string) =>
  command(ctx, org, viewer, proposalId, () => ({ type: "react", actor: viewer, text }));

export const amend = (ctx: AppContext, org: Org, viewer: Viewer, proposalId: string, text: string) =>
  command(ctx, org, viewer, proposalId, () => ({ type: "amend", actor: viewer, text }));

/** A response as it arrives over HTTP; an objection's id is made here. */
export type RespondInput =
  | Exclude<ResponseInput, { kind: "object" }>
  | { kind: "object"; reason: string; suggestedAmendment?: string | null | undefined };

/** A response reads nothing but the proposal, so a busy round records it without a lock (see writer.ts). */
export const respond = (ctx: AppContext, org: Org, viewer: Viewer, proposalId: string, input: RespondInput) =>
  command(
    ctx,
    org,
    viewer,
    proposalId,
    () => ({
      type: "respond",
      actor: viewer,
      response:
        input.kind === "object"
          ? {
              kind: "object",
              objectionId: ctx.newId() as ObjectionId,
              reason: input.reason,
              suggestedAmendment: input.suggestedAmendment ?? null,
            }
          : input,
    }),
    { pure: true },
  );

export const resolveObjection = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  objectionId: string,
  resolution: Resolution,
) =>
  command(ctx, org, viewer, proposalId, () => ({
    type: "resolveObjection",
    actor: viewer,
    objectionId: objectionId as ObjectionId,
    resolution,
  }));

export const giveAdvice = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  input: { adviserId?: string | undefined; text: string },
) =>
  command(ctx, org, viewer, proposalId, () => ({
    type: "giveAdvice",
    actor: viewer,
    adviserId: (input.adviserId ?? viewer.memberId) as MemberId,
    text: input.text,
  }));

export const decideAfterAdvice = (
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  proposalId: string,
  input: { outcome: "proceed" | "abandon"; rationale: string },
) => command(ctx, org, viewer, proposalId, () => ({ type: "decideAfterAdvice", actor: viewer, ...input }));

/**
 * Closes every round whose deadline has passed, as the system (no actor). Each runs through the
 * proposal's writer under its row lock and is re-checked there, so when two server processes sweep at
 * once the second finds the round already closed and writes nothing: each closing is logged once.
 */
export async function closeRoundsPastDeadline(ctx: AppContext) {
  const now = ctx.now();
  const { rows } = await ctx.db.query<{ org_id: string; id: string }>(
    `SELECT org_id, id FROM proposals WHERE phase_deadline <= $1 AND state = 'consent_round'
     ORDER BY phase_deadline LIMIT 500`,
    [now],
  );
  let closed = 0;
  for (const row of rows) {
    const result = await writeProposal(ctx, row.org_id, row.id, null, async (proposal, { now: at }) =>
      proposal.state === "consent_round" && roundVerdict(proposal, at).outcome !== "open"
        ? transition(proposal, { type: "decide", actor: null }, at)
        : { proposal, events: [] },
    );
    if (result.entries.length > 0) closed++;
  }
  return closed;
}

export interface ReviewInput {
  intent: "keep" | "amend" | "retire";
  title?: string | undefined;
  text?: string | undefined;
  reviewMonths?: number | undefined;
}

/**
 * Reviews a decision that has come due: a new proposal in the decision's circle, linked to it, to keep
 * it (as it is, for another term), amend it or retire it. Adopting that proposal supersedes or retires
 * the decision. The decision's row is locked so two people starting a review at once open one.
 */
export async function reviewDecision(
  ctx: AppContext,
  org: Org,
  viewer: Viewer,
  decisionId: string,
  input: ReviewInput,
) {
  const found = await getDecision(ctx.db, org.id, decisionId, ctx.now());
  if (!found) throw notFound("Decision", decisionId);
  const { decision } = found;
  const text =
    input.text ?? (input.intent === "retire" ? `Retire the decision "${decision.title}".` : decision.text);
  return createProposalWith(
    ctx,
    org,
    viewer,
    {
      circleId: decision.circleId,
      title: input.title ?? `Review: ${decision.title}`,
      text,
      reviewMonths: input.reviewMonths,
      review: { of: decision.proposalId, intent: input.intent },
    },
    {
      guard: async ({ tx, now }) => {
        await tx.query("SELECT 1 FROM decisions WHERE org_id = $1 AND proposal_id = $2 FOR UPDATE", [
          org.id,
          decisionId,
        ]);
        const current = await getDecision(tx, org.id, decisionId, now);
        if (!current) throw notFound("Decision", decisionId);
        const refused = reviewRefusal(viewer, current.decision, current.decision.openReview, now);
        if (refused) throw refused;
      },
    },
  );
}
