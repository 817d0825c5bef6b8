import { orgPermissions, type Viewer } from "../core/access.js";
import { conflict, forbidden, invalid } from "../core/errors.js";
import { DEFAULT_ORG_SETTINGS, isUuidLike, mergeSettings, type OrgSettings, slugify } from "../core/orgs.js";
import { isUniqueViolation } from "../db/database.js";
import { startLog } from "../db/log.js";
import { type AppContext, runCommand } from "./context.js";

export interface Org {
  id: string;
  slug: string;
  name: string;
  purpose: string;
  settings: OrgSettings;
  createdAt: Date;
  archivedAt: Date | null;
}

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  purpose: string;
  settings: Partial<OrgSettings>;
  created_at: Date;
  archived_at: Date | null;
}

export const toOrg = (row: OrgRow): Org => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  purpose: row.purpose,
  settings: { ...DEFAULT_ORG_SETTINGS, ...row.settings },
  createdAt: row.created_at,
  archivedAt: row.archived_at,
});

/** The organisations a user belongs to, with their access in each. */
export async function listOrgsOf(ctx: AppContext, userId: string) {
  const { rows } = await ctx.db.query<{
    id: string;
    slug: string;
    name: string;
    access: string;
    member_id: string;
  }>(
    `SELECT o.id, o.slug, o.name, m.access, m.id AS member_id FROM orgs o
     JOIN members m ON m.org_id = o.id AND m.user_id = $1 AND m.archived_at IS NULL
     WHERE o.archived_at IS NULL ORDER BY o.name, o.id`,
    [userId],
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, access: r.access, memberId: r.member_id }));
}

export interface CreateOrgInput {
  name: string;
  slug?: string | undefined;
  purpose?: string | undefined;
  settings?: Partial<OrgSettings> | undefined;
  /** The founder's display name inside the organisation. */
  founderName: string;
}

/** Creates an organisation; the founder becomes its first admin member. */
export async function createOrg(ctx: AppContext, userId: string | null, input: CreateOrgInput) {
  const orgId = ctx.newId();
  const memberId = ctx.newId();
  const settings = mergeSettings({}, input.settings ?? {});
  if (input.slug !== undefined && isUuidLike(input.slug))
    throw invalid("A slug cannot look like an id", { field: "slug" });
  const slug = input.slug ?? (await freeSlug(ctx, slugify(input.name)));
  try {
    const { result } = await runCommand(ctx, orgId, async ({ tx, now, log }) => {
      await tx.query(
        "INSERT INTO orgs (id, slug, name, purpose, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [orgId, slug, input.name, input.purpose ?? "", JSON.stringify(settings), now],
      );
      await tx.query(
        "INSERT INTO members (org_id, id, user_id, name, access, joined_at) VALUES ($1, $2, $3, $4, 'admin', $5)",
        [orgId, memberId, userId, input.founderName, now],
      );
      await startLog(tx, orgId);
      log({
        type: "org.created",
        actor: memberId,
        payload: { orgId, slug, name: input.name, purpose: input.purpose ?? "", settings },
      });
      log({
        type: "member.joined",
        actor: memberId,
        payload: { memberId, name: input.founderName, access: "admin", via: "founding" },
      });
      return {
        id: orgId,
        slug,
        name: input.name,
        purpose: input.purpose ?? "",
        settings,
        createdAt: now,
        archivedAt: null,
      } satisfies Org;
    });
    return { org: result, memberId };
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("That slug is taken", { field: "slug", slug });
    throw error;
  }
}

async function freeSlug(ctx: AppContext, base: string) {
  const { rows } = await ctx.db.query<{ slug: string }>(
    "SELECT slug FROM orgs WHERE slug = $1 OR slug LIKE $2",
    [base, `${base}-%`],
  );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface UpdateOrgInput {
  name?: string | undefined;
  purpose?: string | undefined;
  settings?: Partial<OrgSettings> | undefined;
}

/** Changes the organisation's name, purpose or defaults (admins only). */
export async function updateOrg(ctx: AppContext, org: Org, viewer: Viewer, change: UpdateOrgInput) {
  if (!orgPermissions(viewer).update) throw forbidden("change the organisation's settings");
  const settings = mergeSettings(org.settings, change.settings ?? {});
  const { result } = await runCommand(ctx, org.id, async ({ tx, log }) => {
    const { rows } = await tx.query<OrgRow>(
      `UPDATE orgs SET name = COALESCE($2, name), purpose = COALESCE($3, purpose), settings = $4
       WHERE id = $1 RETURNING *`,
      [org.id, change.name ?? null, change.purpose ?? null, JSON.stringify(settings)],
    );
    log({ type: "org.updated", actor: viewer.memberId, payload: { ...change } });
    return toOrg(rows[0] as OrgRow);
  });
  return result;
}
