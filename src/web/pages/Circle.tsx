import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import type { Holder, Org } from "../api.js";
import { type CircleDetail, joinCircle } from "../api-people.js";
import { AddMemberForm } from "../components/forms/AddMemberForm.js";
import { NewCircleForm } from "../components/forms/NewCircleForm.js";
import { NewRoleForm } from "../components/forms/NewRoleForm.js";
import { useOrg } from "../components/OrgFrame.js";
import { circlePath, MemberLink, rolePath } from "../components/People.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { circleKindLabel, fillingPolicyLabel, formatDate, plural } from "../format.js";
import { circlesQuery } from "../queries.js";
import { circleQuery } from "../queries-people.js";
import "../people.css";

function JoinButton({ org, circle }: { org: Org; circle: CircleDetail }) {
  const queryClient = useQueryClient();
  const join = useMutation({
    mutationFn: () => joinCircle(org.slug, circle.id, org.me.memberId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["org", org.slug] }),
  });
  return (
    <div className="actions">
      <button
        type="button"
        className="button button-primary"
        onClick={() => join.mutate()}
        disabled={join.isPending}
      >
        {join.isPending ? "Joining…" : `Join ${circle.name}`}
      </button>
      {join.isError && <ErrorMessage error={join.error} title="You have not joined" />}
    </div>
  );
}

function LinkHolder({ org, label, holder }: { org: Org; label: string; holder: Holder | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {holder ? (
          <MemberLink
            slug={org.slug}
            memberId={holder.memberId}
            name={holder.name}
            myMemberId={org.me.memberId}
          />
        ) : (
          <span className="vacant">Vacant</span>
        )}
      </dd>
    </>
  );
}

function Facts({ org, circle }: { org: Org; circle: CircleDetail }) {
  const isCommittee = circle.kind === "committee";
  return (
    <dl className="facts facts-grid">
      <dt>Domain</dt>
      <dd>{circle.domain || <span className="muted">No domain written yet.</span>}</dd>
      {isCommittee && (
        <>
          <dt>Mandate</dt>
          <dd>{circle.mandate || <span className="muted">No mandate written yet.</span>}</dd>
          <dt>Sunset</dt>
          <dd>{circle.sunsetAt ? `Ends ${formatDate(circle.sunsetAt)}` : "No end date set"}</dd>
        </>
      )}
      {circle.link && (
        <>
          <LinkHolder org={org} label="Leader (chosen by the parent circle)" holder={circle.link.leader} />
          <LinkHolder org={org} label="Delegate (elected by this circle)" holder={circle.link.delegate} />
        </>
      )}
      <dt>Since</dt>
      <dd>{formatDate(circle.createdAt)}</dd>
    </dl>
  );
}

function Roles({ org, circle }: { org: Org; circle: CircleDetail }) {
  if (circle.roles.length === 0) return <p className="muted">No roles yet.</p>;
  return (
    <ul className="item-list" aria-label={`Roles in ${circle.name}`}>
      {circle.roles.map((role) => (
        <li key={role.id} className="item">
          <p className="item-head">
            <Link to={rolePath(org.slug, role.id)} className="item-title">
              {role.name}
            </Link>
            {role.leadership && <span className="tag tag-leadership">Leadership</span>}
            <span className="muted">
              {fillingPolicyLabel[role.fillingPolicy]}
              {role.termDays !== null && ` · ${role.termDays}-day term`}
            </span>
          </p>
          {role.holders.length === 0 ? (
            <p className="vacant">Vacant</p>
          ) : (
            <ul className="holders">
              {role.holders.map((holder) => (
                <li key={holder.assignmentId}>
                  <MemberLink
                    slug={org.slug}
                    memberId={holder.memberId}
                    name={holder.name}
                    myMemberId={org.me.memberId}
                  />
                  {holder.shadow && <span className="tag tag-shadow">shadowing</span>}
                  <span className="muted">
                    {holder.endsAt ? ` · term ends ${formatDate(holder.endsAt)}` : " · no set end"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

function CircleView({ org, circle }: { org: Org; circle: CircleDetail }) {
  const members = [...circle.members].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <header className="page-head">
        <div>
          <h1>{circle.name}</h1>
          <p className="circle-meta">
            <span className={`kind-badge kind-${circle.kind}`}>{circleKindLabel[circle.kind]}</span>
            <span>{plural(circle.memberCount, "member")}</span>
            {circle.archivedAt && <span className="badge">Archived {formatDate(circle.archivedAt)}</span>}
          </p>
        </div>
        {circle.can.join && <JoinButton org={org} circle={circle} />}
      </header>
      {circle.aim ? (
        <blockquote className="purpose">
          <p className="purpose-label">Aim</p>
          <p>{circle.aim}</p>
        </blockquote>
      ) : (
        <p className="muted">No aim written yet.</p>
      )}
      <div className="detail-grid">
        <div className="detail-main">
          <section className="section" aria-labelledby="roles-title">
            <h2 id="roles-title">Roles and who holds them</h2>
            <Roles org={org} circle={circle} />
            {circle.can.createRole && <NewRoleForm org={org} circle={circle} />}
          </section>
          {(circle.children.length > 0 || circle.can.createChildCircle) && (
            <section className="section" aria-labelledby="children-title">
              <h2 id="children-title">Circles inside</h2>
              {circle.children.length === 0 && <p className="muted">No circles inside yet.</p>}
              <ul className="item-list">
                {circle.children.map((child) => (
                  <li key={child.id} className="item item-row">
                    <Link to={circlePath(org.slug, child.id)} className="item-title">
                      {child.name}
                    </Link>
                    <span className={`kind-badge kind-${child.kind}`}>{circleKindLabel[child.kind]}</span>
                  </li>
                ))}
              </ul>
              {circle.can.createChildCircle && (
                <NewCircleForm org={org} parent={{ id: circle.id, name: circle.name }} />
              )}
            </section>
          )}
        </div>
        <aside className="detail-side">
          <section className="panel" aria-labelledby="facts-title">
            <h2 id="facts-title">About this circle</h2>
            <Facts org={org} circle={circle} />
          </section>
          <section className="panel" aria-labelledby="members-title">
            <h2 id="members-title">Members ({members.length})</h2>
            {members.length === 0 ? (
              <p className="muted">Nobody is in this circle yet.</p>
            ) : (
              <ul className="plain-list">
                {members.map((member) => (
                  <li key={member.memberId}>
                    <MemberLink
                      slug={org.slug}
                      memberId={member.memberId}
                      name={member.name}
                      myMemberId={org.me.memberId}
                    />
                    <span className="muted"> · since {formatDate(member.joinedAt)}</span>
                  </li>
                ))}
              </ul>
            )}
            {circle.can.manageMembers && <AddMemberForm org={org} circle={circle} />}
          </section>
        </aside>
      </div>
    </>
  );
}

/** One circle: its aim and domain, who is in it, its roles and holders, and the circles inside it. */
export function CirclePage() {
  const org = useOrg();
  const { circleId = "" } = useParams();
  const circle = useQuery(circleQuery(org.slug, circleId));
  const circles = useQuery(circlesQuery(org.slug));
  usePageTitle(`${circle.data?.name ?? "Circle"} · ${org.name}`);
  const parentId = circle.data?.parentId;
  const parentName = circles.data?.find((c) => c.id === parentId)?.name ?? "The circle around it";
  return (
    <div className="page">
      <p className="breadcrumb">
        {parentId ? (
          <Link to={circlePath(org.slug, parentId)}>{parentName}</Link>
        ) : (
          <Link to={`/orgs/${org.slug}/circles`}>All circles</Link>
        )}
      </p>
      {circle.isPending && <Loading label="Loading the circle…" />}
      {circle.isError && (
        <>
          <h1>Circle not available</h1>
          <ErrorMessage
            error={circle.error}
            title="The circle could not be loaded"
            onRetry={() => circle.refetch()}
          />
        </>
      )}
      {circle.data && <CircleView org={org} circle={circle.data} />}
    </div>
  );
}
