import type { Circle, Member } from "../api.js";
import { accessLabel } from "../format.js";

interface HeldRole {
  key: string;
  role: string;
  circle: string;
  shadow: boolean;
}

/** Each member with the roles they hold now, so "who does what" can be read person by person. */
export function People({
  members,
  circles,
  myMemberId,
}: {
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
          { key: holder.assignmentId, role: role.name, circle: circle.name, shadow: holder.shadow },
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
                {member.name}
                {member.id === myMemberId && <span className="muted"> (you)</span>}
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
                    <strong>{held.role}</strong> in {held.circle}
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
