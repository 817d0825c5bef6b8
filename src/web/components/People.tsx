import { Link } from "react-router-dom";
import type { Circle, Member } from "../api.js";
import { accessLabel, formatDate } from "../format.js";

const memberPath = (slug: string, memberId: string) => `/orgs/${slug}/members/${memberId}`;
export const rolePath = (slug: string, roleId: string) => `/orgs/${slug}/roles/${roleId}`;
export const circlePath = (slug: string, circleId: string) => `/orgs/${slug}/circles/${circleId}`;

/** A person's name leading to their page, marked when it is the viewer. */
export function MemberLink({
  slug,
  memberId,
  name,
  myMemberId,
}: {
  slug: string;
  memberId: string;
  name: string;
  myMemberId?: string;
}) {
  return (
    <>
      <Link to={memberPath(slug, memberId)}>{name}</Link>
      {memberId === myMemberId && <span className="muted"> (you)</span>}
    </>
  );
}

export const assignmentSourceLabel: Record<string, string> = {
  election: "Elected",
  rotation: "By rotation",
  appointment: "Appointed",
  crisis: "Crisis authority",
  founding: "Founding holder",
};

/** A term's span in words: "5 Jan 2026 – 5 Jan 2027", or "since 5 Jan 2026" when it has no end. */
export const termSpan = (startsAt: string, endsAt: string | null) =>
  endsAt ? `${formatDate(startsAt)} – ${formatDate(endsAt)}` : `since ${formatDate(startsAt)}, no set end`;

interface HeldRole {
  key: string;
  roleId: string;
  role: string;
  circle: string;
  shadow: boolean;
}

/** Each member with the roles they hold now, so "who does what" can be read person by person. */
export function People({
  slug,
  members,
  circles,
  myMemberId,
}: {
  slug: string;
  members: Member[];
  circles: Circle[];
  myMemberId: string;
}) {
  const held = new Map<string, HeldRole[]>();
  for (const circle of circles)
    for (const role of circle.roles)
      for (const holder of role.holders)
        held.set(holder.memberId, [
          ...(held.get(holder.memberId) ?? []),
          {
            key: holder.assignmentId,
            roleId: role.id,
            role: role.name,
            circle: circle.name,
            shadow: holder.shadow,
          },
        ]);
  const sorted = [...members].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <ul className="people">
      {sorted.map((member) => {
        const roles = held.get(member.id) ?? [];
        return (
          <li key={member.id} className="person">
            <div className="person-head">
              <span className="person-name">
                <MemberLink slug={slug} memberId={member.id} name={member.name} myMemberId={myMemberId} />
              </span>
              <span className="badge">{accessLabel[member.access] ?? member.access}</span>
            </div>
            {roles.length === 0 ? (
              <p className="muted">No role right now</p>
            ) : (
              <ul className="person-roles" aria-label={`Roles of ${member.name}`}>
                {roles.map((held) => (
                  <li key={held.key}>
                    {held.shadow ? "Shadowing " : ""}
                    <Link to={rolePath(slug, held.roleId)} className="strong-link">
                      {held.role}
                    </Link>{" "}
                    in {held.circle}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
