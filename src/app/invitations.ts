import { type OrgAccess, orgPermissions, type Viewer } from "../core/access.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import type { MemberId } from "../core/ids.js";
import { type InvitationShape, invitationState } from "../core/members.js";
import { isUniqueViolation, type Queryable } from "../db/database.js";
import type { User } from "./accounts.js";
import { type AppContext, runCommand } from "./context.js";
import type { Org } from "./orgs.js";
import { newSecret, secretKey } from "./secrets.js";

const DAY_MS = 86_400_000;

export interface Invitation extends InvitationShape {
  id: string;
  access: OrgAccess;
  note: string;
  /** The member record the invited person will claim, if the invitation is for one. */
  memberId: MemberId | null;
  createdBy: MemberId;
  createdAt: Date;
  acceptedBy: MemberId | null;
}

interface InvitationRow {
  org_id: string;
  id: string;
  access: OrgAccess;
  note: string;
  member_id: MemberId | null;
  created_by: MemberId;
  created_at: Date;
  expires_at: Date;
  accepted_by: MemberId | null;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  access: row.access,
  note: row.note,
  memberId: row.member_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedBy: row.accepted_by,
  acceptedAt: row.accepted_at,
  revokedAt: row.revoked_at,
});

const COLUMNS = `org_id, id, access, note, member_id, created_by, created_at, expires_at, accepted_by,
  accepted_at, revoked_at`;

export interface NewInvitation {
  access?: OrgAccess | undefined;
  note?: string | undefined;
  memberId?: string | undefined;
}

/**
 * An admin invites someone, optionally to claim a member record that has no account. The token is
 * returned once; only its hash is kept. It expires after the organisation's `invitationDays`.
 */
export async function createInvitation(ctx: AppContext, org: Org, viewer: Viewer, input: NewInvitation) {
  if (!orgPermissions(viewer).invite) throw forbidden("invite people");
  const token = newSecret("pi_");
  const id = ctx.newId();
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    let access = input.access ?? "member";
    if (input.memberId !== undefined) {
      const { rows } = await tx.query<{
        access: OrgAccess;
        user_id: string | null;
        archived_at: Date | null;
      }>("SELECT access, user_id, archived_at FROM members WHERE org_id = $1 AND id = $2", [
        org.id,
        input.memberId,
      ]);
      const member = rows[0];
      if (!member) throw notFound("Member", input.memberId);
      if (member.archived_at !== null) throw conflict("This member is archived", { state: "archived" });
      if (member.user_id !== null)
        throw conflict("This member already has an account", { state: "has_account" });
      if (input.access !== undefined && input.access !== member.access)
        throw conflict("A claimed record keeps its access; change it on the member", {
          field: "access",
          memberAccess: member.access,
        });
      access = member.access;
    }
    const { rows } = await tx.query<InvitationRow>(
      `INSERT INTO invitations (org_id, id, token_hash, access, note, member_id, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        org.id,
        id,
        secretKey(token),
        access,
        input.note?.trim() ?? "",
        input.memberId ?? null,
        viewer.memberId,
        now,
        new Date(now.getTime() + org.settings.invitationDays * DAY_MS),
      ],
    );
    const invitation = toInvitation(rows[0] as InvitationRow);
    log({
      type: "invitation.created",
      actor: viewer.memberId,
      payload: {
        invitationId: id,
        access,
        memberId: invitation.memberId,
        note: invitation.note,
        expiresAt: invitation.expiresAt.toISOString(),
      },
    });
    return invitation;
  });
  return { invitation: result, token };
}

/** The organisation's invitations, newest first (admins only). */
export async function listInvitations(
  db: Queryable,
  org: Org,
  viewer: Viewer,
  paging: { limit: number; offset: number },
) {
  if (!orgPermissions(viewer).invite) throw forbidden("see the invitations");
  const { rows } = await db.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
    [org.id, paging.limit, paging.offset],
  );
  return rows.map(toInvitation);
}

/** An admin withdraws an invitation that is still open. */
export async function revokeInvitation(ctx: AppContext, org: Org, viewer: Viewer, invitationId: string) {
  if (!orgPermissions(viewer).invite) throw forbidden("revoke invitations");
  const { result } = await runCommand(ctx, org.id, async ({ tx, now, log }) => {
    const { rows } = await tx.query<InvitationRow>(
      `SELECT ${COLUMNS} FROM invitations WHERE org_id = $1 AND id = $2 FOR UPDATE`,
      [org.id, invitationId],
    );
    const row = rows[0];
    if (!row) throw notFound("Invitation", invitationId);
    const state = invitationState(toInvitation(row), now);
    if (state !== "open") throw conflict(`This invitation is ${state}`, { state });
    await tx.query("UPDATE invitations SET revoked_at = $3 WHERE org_id = $1 AND id = $2", [
      org.id,
      invitationId,
      now,
    ]);
    log({ type: "invitation.revoked", actor: viewer.memberId, payload: { invitationId } });
    return { ...toInvitation(row), revokedAt: now };
  });
  return result;
}

export interface InvitationPreview {
  org: { name: string; purpose: string };
  access: OrgAccess;
  note: string;
  /** The name on the member record that accepting claims. */
  memberName: string | null;
  expiresAt: Date;
  state: ReturnType<typeof invitationState>;
}

/** What anyone holding the link may see before joining. */
export async function previewInvitation(ctx: AppContext, token: string): Promise<InvitationPreview> {
  const { rows } = await ctx.db.query<
    InvitationRow & {
      offered_access: OrgAccess;
      org_name: string;
      org_purpose: string;
      member_name: string | null;
    }
  >(
    `SELECT i.*, COALESCE(m.access, i.access) AS offered_access, o.name AS org_name, o.purpose AS org_purpose,
            m.name AS member_name
     FROM invitations i JOIN orgs o ON o.id = i.org_id
     LEFT JOIN members m ON m.org_id = i.org_id AND m.id = i.member_id
     WHERE i.token_hash = $1`,
    [secretKey(token)],
  );
  const row = rows[0];
  if (!row) throw notFound("Invitation");
  const invitation = toInvitation(row);
  return {
    org: { name: row.org_name, purpose: row.org_purpose },
    // A claimed record keeps its own access, which an admin may have changed since the invitation.
    access: row.offered_access,
    note: invitation.note,
    memberName: row.member_name,
    expiresAt: invitation.expiresAt,
    state: invitationState(invitation, ctx.now()),
  };
}

/**
 * A signed-in user accepts an invitation and joins: as a new member, by claiming the record made for
 * them, or by returning to their archived record. The invitation is taken with a conditional update,
 * so of two concurrent accepts exactly one wins.
 */
export async function acceptInvitation(ctx: AppContext, user: User, token: string) {
  const found = await ctx.db.query<{ org_id: string }>(
    "SELECT org_id FROM invitations WHERE token_hash = $1",
    [secretKey(token)],
  );
  const orgId = found.rows[0]?.org_id;
  if (!orgId) throw notFound("Invitation");
  const { result } = await runCommand(ctx, orgId, async ({ tx, now, log }) => {
    const taken = await tx.query<InvitationRow>(
      `UPDATE invitations SET accepted_at = $3
       WHERE org_id = $1 AND token_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3
       RETURNING ${COLUMNS}`,
      [orgId, secretKey(token), now],
    );
    const row = taken.rows[0];
    if (!row) throw await unusable(tx, orgId, token, now);
    const invitation = toInvitation(row);
    const existing = await tx.query<{ id: MemberId; archived_at: Date | null }>(
      "SELECT id, archived_at FROM members WHERE org_id = $1 AND user_id = $2",
      [orgId, user.id],
    );
    const earlier = existing.rows[0];
    if (earlier && earlier.archived_at === null)
      throw conflict("You are already a member of this organisation", { memberId: earlier.id });
    const joined = await join(tx, orgId, user, invitation, earlier?.id ?? null, now, ctx.newId() as MemberId);
    await tx.query("UPDATE invitations SET accepted_by = $3 WHERE org_id = $1 AND id = $2", [
      orgId,
      invitation.id,
      joined.memberId,
    ]);
    log({
      type: "member.joined",
      actor: joined.memberId,
      payload: {
        memberId: joined.memberId,
        name: joined.name,
        access: joined.access,
        via: joined.via,
        invitationId: invitation.id,
      },
    });
    return joined.memberId;
  });
  return { orgId, memberId: result };
}

async function join(
  tx: Queryable,
  orgId: string,
  user: User,
  invitation: Invitation,
  archivedMemberId: MemberId | null,
  now: Date,
  newMemberId: MemberId,
) {
  if (invitation.memberId !== null) {
    if (archivedMemberId !== null)
      throw conflict("Your earlier membership here is archived; ask for an invitation of your own", {
        memberId: archivedMemberId,
      });
    const claimed = await tx.query<{ name: string; access: OrgAccess }>(
      `UPDATE members SET user_id = $3
       WHERE org_id = $1 AND id = $2 AND user_id IS NULL AND archived_at IS NULL RETURNING name, access`,
      [orgId, invitation.memberId, user.id],
    );
    const record = claimed.rows[0];
    if (!record)
      throw conflict("The member record of this invitation can no longer be claimed", {
        state: "unavailable",
      });
    return { memberId: invitation.memberId, ...record, via: "claim" as const };
  }
  if (archivedMemberId !== null) {
    const { rows } = await tx.query<{ name: string }>(
      `UPDATE members SET archived_at = NULL, access = $3, joined_at = $4 WHERE org_id = $1 AND id = $2
       RETURNING name`,
      [orgId, archivedMemberId, invitation.access, now],
    );
    const name = rows[0]?.name ?? user.name;
    return { memberId: archivedMemberId, name, access: invitation.access, via: "rejoin" as const };
  }
  try {
    await tx.query(
      "INSERT INTO members (org_id, id, user_id, name, access, joined_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [orgId, newMemberId, user.id, user.name, invitation.access, now],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("You are already a member of this organisation");
    throw error;
  }
  return { memberId: newMemberId, name: user.name, access: invitation.access, via: "invitation" as const };
}

/** Why an invitation cannot be accepted, as a conflict naming its state. */
async function unusable(tx: Queryable, orgId: string, token: string, now: Date) {
  const { rows } = await tx.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE org_id = $1 AND token_hash = $2`,
    [orgId, secretKey(token)],
  );
  const row = rows[0];
  if (!row) return notFound("Invitation");
  const state = invitationState(toInvitation(row), now);
  return conflict(`This invitation is ${state}`, { state });
}
