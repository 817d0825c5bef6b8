import type { Org } from "../../app/orgs.js";
import { orgPermissions, type Viewer } from "../../core/access.js";

export const presentOrg = (org: Org, viewer: Viewer) => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  purpose: org.purpose,
  settings: org.settings,
  createdAt: org.createdAt.toISOString(),
  archivedAt: org.archivedAt?.toISOString() ?? null,
  me: { memberId: viewer.memberId, access: viewer.access, circleIds: [...viewer.circleIds] },
  can: orgPermissions(viewer),
});
