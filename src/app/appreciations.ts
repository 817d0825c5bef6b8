import type { Viewer } from "../core/access.js";
import {
  type Appreciation,
  type AppreciationId,
  type AppreciationSubjectKind,
  appreciate,
} from "../core/appreciation.js";
import { canReadProposal } from "../core/consent/reading.js";
import type { ProposalState } from "../core/consent/states.js";
import { invalid } from "../core/errors.js";
import type { CircleId, MemberId } from "../core/ids.js";
import type { Queryable } from "../db/database.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { facilitatorsOf } from "./proposals/commands.js";

interface AppreciationRow {
  id: AppreciationId;
  from_id: MemberId;
  member_ids: MemberId[];
  text: string;
  subject_kind: AppreciationSubjectKind | null;
  subject_id: string | null;
  circle_id: CircleId | null;
  created_at: Date;
}

const toAppreciation = (row: AppreciationRow): Appreciation => ({
  id: row.id,
  fromId: row.from_id,
  memberIds: row.member_ids,
  text: row.text,
  subject: row.subject_kind && row.subject_id ? { kind: row.subject_kind, id: row.subject_id } : null,
  circleId: row.circle_id,
  at: row.created_at,
});

const unknownSubject = () => invalid("No such role, proposal or cycle", { field: "subject" });

/**
 * The circle of what an appreciation is tied to. A proposal counts only if the giver may read it (a
 * draft is its author's), so an appreciation cannot reveal that a draft exists.
 */
async function circleOfSubject(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  subject: { kind: AppreciationSubjectKind; id: string },
  now: Date,
): Promise<CircleId> {
  if (subject.kind === "proposal") {
    const { rows } = await db.query<{ circle_id: CircleId; author_id: MemberId; state: ProposalState }>(
      "SELECT circle_id, author_id, state FROM proposals WHERE org_id = $1 AND id = $2",
      [org.id, subject.id],
    );
    const proposal = rows[0];
    if (!proposal) throw unknownSubject();
    const readable = canReadProposal(
      viewer,
      {
        circleId: proposal.circle_id,
        authorId: proposal.author_id,
        state: proposal.state,
        facilitatorIds: await facilitatorsOf(db, org.id, proposal.circle_id, now),
      },
      org.settings,
    );
    if (!readable) throw unknownSubject();
    return proposal.circle_id;
  }
  const table = subject.kind === "role" ? "roles" : "cycles";
  const { rows } = await db.query<{ circle_id: CircleId }>(
    `SELECT circle_id FROM ${table} WHERE org_id = $1 AND id = $2`,
    [org.id, subject.id],
  );
  const found = rows[0];
  if (!found) throw unknownSubject();
  return found.circle_id;
}

/** The appreciated are active members of the organisation. */
async function assertAppreciated(db: Queryable, orgId: string, memberIds: readonly string[]) {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM members WHERE org_id = $1 AND id = ANY($2::uuid[]) AND archived_at IS NULL",
    [orgId, memberIds],
  );
  const found = new Set(rows.map((r) => r.id));
  const missing = memberIds.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw invalid("Appreciation goes to active members of the organisation", { field: "memberIds", missing });
}

export interface AppreciateInput {
  memberIds: string[];
  text: string;
  subject?: { kind: AppreciationSubjectKind; id: string } | undefined;
}

/** A member recognises one or more others, optionally for a role, proposal or cycle. */
export async function giveAppreciation(ctx: AppContext, org: Org, viewer: Viewer, input: AppreciateInput) {
  const id = ctx.newId() as AppreciationId;
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const subject = input.subject ?? null;
    const given = appreciate(
      { id, actor: viewer, memberIds: input.memberIds as MemberId[], text: input.text, subject },
      now,
    );
    const circleId = subject ? await circleOfSubject(tx, org, viewer, subject, now) : null;
    const appreciation = { ...given, circleId };
    await assertAppreciated(tx, org.id, appreciation.memberIds);
    await tx.query(
      `INSERT INTO appreciations (org_id, id, from_id, member_ids, text, subject_kind, subject_id, circle_id, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)`,
      [
        org.id,
        id,
        appreciation.fromId,
        JSON.stringify(appreciation.memberIds),
        appreciation.text,
        subject?.kind ?? null,
        subject?.id ?? null,
        circleId,
        now,
      ],
    );
    log({
      type: "appreciation.given",
      actor: viewer.memberId,
      payload: {
        appreciationId: id,
        memberIds: appreciation.memberIds,
        text: appreciation.text,
        subject,
        circleId,
      },
    });
    return appreciation;
  });
  return result;
}

export interface AppreciationFilter {
  /** The circle's feed: appreciations tied to its roles, proposals and cycles. */
  circleId?: string | undefined;
  /** The member's feed: appreciations they received. */
  memberId?: string | undefined;
  limit: number;
  offset: number;
}

/** Appreciations, newest first; open to every member of the organisation. */
export async function listAppreciations(db: Queryable, org: Org, filter: AppreciationFilter) {
  const { rows } = await db.query<AppreciationRow>(
    `SELECT * FROM appreciations
     WHERE org_id = $1 AND ($2::uuid IS NULL OR circle_id = $2)
       AND ($3::text IS NULL OR member_ids @> jsonb_build_array($3::text))
     ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`,
    [org.id, filter.circleId ?? null, filter.memberId ?? null, filter.limit + 1, filter.offset],
  );
  return {
    appreciations: rows.slice(0, filter.limit).map(toAppreciation),
    hasMore: rows.length > filter.limit,
  };
}
