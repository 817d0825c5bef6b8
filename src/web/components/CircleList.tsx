import { useEffect, useRef } from "react";
import { Link } from "react-router-dom";
import type { Holder, Role } from "../api.js";
import type { CircleNode } from "../circles.js";
import { circleKindLabel, fillingPolicyLabel, formatDate, plural } from "../format.js";
import { circlePath, MemberLink, rolePath } from "./People.js";
import "../people.css";

interface Viewing {
  slug: string;
  myMemberId: string;
}

function HolderName({ holder, slug, myMemberId }: { holder: Holder } & Viewing) {
  return (
    <span className="holder">
      <MemberLink slug={slug} memberId={holder.memberId} name={holder.name} myMemberId={myMemberId} />
      {holder.shadow && <span className="tag tag-shadow">shadowing</span>}
      {holder.endsAt && <span className="muted"> until {formatDate(holder.endsAt)}</span>}
    </span>
  );
}

function RoleItem({ role, slug, myMemberId }: { role: Role } & Viewing) {
  const policy = fillingPolicyLabel[role.fillingPolicy] ?? role.fillingPolicy;
  return (
    <li className="role">
      <div className="role-head">
        <Link to={rolePath(slug, role.id)} className="role-name">
          {role.name}
        </Link>
        {role.leadership && <span className="tag tag-leadership">Leadership</span>}
        <span className="role-policy">
          {policy}
          {role.termDays !== null && ` · ${role.termDays}-day term`}
        </span>
      </div>
      <p className="role-holders">
        {role.holders.length === 0 ? (
          <span className="vacant">Vacant</span>
        ) : (
          role.holders.map((holder, i) => (
            <span key={holder.assignmentId}>
              {i > 0 && ", "}
              <HolderName holder={holder} slug={slug} myMemberId={myMemberId} />
            </span>
          ))
        )}
      </p>
    </li>
  );
}

function CircleItem({
  node,
  selectedId,
  onSelect,
  slug,
  myMemberId,
}: {
  node: CircleNode;
  selectedId: string | null;
  onSelect: (circleId: string | null) => void;
} & Viewing) {
  const { circle, children } = node;
  const selected = circle.id === selectedId;
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selected) card.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  return (
    <li>
      <div ref={card} className={`circle-card circle-card-${circle.kind}${selected ? " is-selected" : ""}`}>
        <h3 className="circle-name">
          <button
            type="button"
            className="circle-select"
            aria-pressed={selected}
            title="Show on the map"
            onClick={() => onSelect(selected ? null : circle.id)}
          >
            {circle.name}
          </button>
        </h3>
        <p className="circle-meta">
          <span className={`kind-badge kind-${circle.kind}`}>{circleKindLabel[circle.kind]}</span>
          <span>{plural(circle.memberCount, "member")}</span>
          {circle.sunsetAt && <span>Ends {formatDate(circle.sunsetAt)}</span>}
          <Link to={circlePath(slug, circle.id)}>
            Open<span className="visually-hidden"> {circle.name}</span>
          </Link>
        </p>
        {circle.aim && <p className="circle-aim">{circle.aim}</p>}
        {circle.roles.length > 0 ? (
          <ul className="roles" aria-label={`Roles in ${circle.name}`}>
            {circle.roles.map((role) => (
              <RoleItem key={role.id} role={role} slug={slug} myMemberId={myMemberId} />
            ))}
          </ul>
        ) : (
          <p className="muted">No roles yet.</p>
        )}
      </div>
      {children.length > 0 && (
        <ul className="circle-tree" aria-label={`Inside ${circle.name}`}>
          {children.map((child) => (
            <CircleItem
              key={child.circle.id}
              node={child}
              selectedId={selectedId}
              onSelect={onSelect}
              slug={slug}
              myMemberId={myMemberId}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The circles as a nested list: the same structure as the map, with each circle's roles and who holds them. */
export function CircleList(
  props: {
    roots: CircleNode[];
    selectedId: string | null;
    onSelect: (circleId: string | null) => void;
  } & Viewing,
) {
  return (
    <ul className="circle-tree circle-tree-root" aria-label="Circles, nested">
      {props.roots.map((node) => (
        <CircleItem key={node.circle.id} node={node} {...props} />
      ))}
    </ul>
  );
}
