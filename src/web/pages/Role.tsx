import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router-dom";
import type { Org } from "../api.js";
import { type Assignment, type RoleDetail, writeHandoverNotes } from "../api-people.js";
import { TextAreaField } from "../components/Field.js";
import { AppointForm } from "../components/forms/AppointForm.js";
import { EditRoleForm } from "../components/forms/EditRoleForm.js";
import { useOrg } from "../components/OrgFrame.js";
import { assignmentSourceLabel, circlePath, MemberLink, termSpan } from "../components/People.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { fillingPolicyLabel, formatDate, plural } from "../format.js";
import { assignmentsQuery, candidatesQuery, roleQuery } from "../queries-people.js";
import "../people.css";

const ROTATION_MODE_WORDS = {
  consent: "The top candidate is proposed to the circle for consent",
  automatic: "The top candidate takes the role directly (the circle chose this)",
};

function termWords(role: RoleDetail) {
  const term = role.termDays === null ? "No set term" : `${plural(role.termDays, "day")} per term`;
  return role.maxConsecutiveTerms === null
    ? term
    : `${term}, at most ${plural(role.maxConsecutiveTerms, "term")} in a row`;
}

function Description({ role }: { role: RoleDetail }) {
  return (
    <dl className="facts facts-grid">
      <dt>Domain</dt>
      <dd>{role.domain || <span className="muted">No domain of its own.</span>}</dd>
      <dt>Term</dt>
      <dd>{termWords(role)}</dd>
      <dt>How it is filled</dt>
      <dd>
        {fillingPolicyLabel[role.fillingPolicy]}
        {role.fillingPolicy === "rotation" && <> · {ROTATION_MODE_WORDS[role.rotationMode]}</>}
      </dd>
      <dt>Skills it asks for</dt>
      <dd>
        {role.requiredSkills.length === 0 ? (
          <span className="muted">No particular skill.</span>
        ) : (
          <ul className="chips" aria-label="Skills it asks for">
            {role.requiredSkills.map((s) => (
              <li key={s.skill} className="chip">
                {s.skill} <span className="chip-level">level {s.level}</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
      {role.qualifications.length > 0 && (
        <>
          <dt>Qualifications agreed at its last election</dt>
          <dd>
            <ul className="plain-list">
              {role.qualifications.map((q) => (
                <li key={q}>{q}</li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </dl>
  );
}

function HandoverForm({ org, role, assignment }: { org: Org; role: RoleDetail; assignment: Assignment }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (notes: string) => writeHandoverNotes(org.slug, role.id, assignment.id, notes),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assignmentsQuery(org.slug, role.id).queryKey });
      setOpen(false);
    },
  });
  if (!open)
    return (
      <button type="button" className="button button-quiet" onClick={() => setOpen(true)}>
        {assignment.handoverNotes ? "Edit handover notes" : "Write handover notes"}
      </button>
    );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(String(new FormData(event.currentTarget).get("notes")));
  };
  return (
    <form className="form" onSubmit={submit}>
      {save.isError && <ErrorMessage error={save.error} title="The notes were not saved" />}
      <TextAreaField
        label="Handover notes"
        name="notes"
        rows={5}
        maxLength={10_000}
        defaultValue={assignment.handoverNotes}
        hint="What the next holder should know: open threads, contacts, what you would do differently."
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save notes"}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const PERIOD_LABEL: Record<Assignment["period"], string> = {
  current: "Now",
  upcoming: "Upcoming",
  ended: "Ended",
};

function History({ org, role }: { org: Org; role: RoleDetail }) {
  const assignments = useQuery(assignmentsQuery(org.slug, role.id));
  if (assignments.isPending) return <Loading label="Loading the role's history…" />;
  if (assignments.isError)
    return (
      <ErrorMessage
        error={assignments.error}
        title="The history could not be loaded"
        onRetry={() => assignments.refetch()}
      />
    );
  if (assignments.data.length === 0) return <p className="muted">Nobody has held this role yet.</p>;
  const newestFirst = [...assignments.data].sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return (
    <ol className="timeline" aria-label={`Everyone who has held ${role.name}, newest first`}>
      {newestFirst.map((assignment) => {
        const status = PERIOD_LABEL[assignment.period];
        return (
          <li key={assignment.id} className={`timeline-item timeline-${status.toLowerCase()}`}>
            <p className="item-head">
              <MemberLink
                slug={org.slug}
                memberId={assignment.memberId}
                name={assignment.name}
                myMemberId={org.me.memberId}
              />
              {assignment.shadow && <span className="tag tag-shadow">shadowing</span>}
              <span className="badge">{status}</span>
            </p>
            <p className="muted timeline-meta">
              {termSpan(assignment.startsAt, assignment.endsAt)} ·{" "}
              {assignmentSourceLabel[assignment.source] ?? assignment.source}
            </p>
            {assignment.handoverNotes && (
              <div className="handover">
                <p className="handover-label">Handover notes</p>
                <p className="pre-line">{assignment.handoverNotes}</p>
              </div>
            )}
            {assignment.can.writeHandoverNotes && assignment.memberId === org.me.memberId && (
              <HandoverForm org={org} role={role} assignment={assignment} />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function NextInLine({ org, role }: { org: Org; role: RoleDetail }) {
  const candidates = useQuery(candidatesQuery(org.slug, role.id));
  if (candidates.isPending) return <Loading label="Ranking the circle for this role…" />;
  if (candidates.isError)
    return (
      <ErrorMessage
        error={candidates.error}
        title="The candidates could not be ranked"
        onRetry={() => candidates.refetch()}
      />
    );
  const top = candidates.data.ranked.slice(0, 5);
  if (top.length === 0) return <p className="muted">Nobody in the circle can take this role now.</p>;
  return (
    <>
      <p className="muted">
        When the term ends the role rotates. The score favours the skills it asks for, wanting it, and having
        led less recently; each part says why.
      </p>
      <ol className="item-list candidates">
        {top.map((candidate) => (
          <li key={candidate.memberId} className="item">
            <p className="item-head">
              <MemberLink
                slug={org.slug}
                memberId={candidate.memberId}
                name={candidate.name ?? "A member"}
                myMemberId={org.me.memberId}
              />
              <span className="badge">{plural(candidate.score, "point")}</span>
            </p>
            <details>
              <summary>
                Why<span className="visually-hidden"> {candidate.name ?? "this member"}</span>
              </summary>
              <ul className="plain-list">
                {candidate.parts.map((part) => (
                  <li key={`${part.factor}-${part.reason}`}>
                    {part.reason} <span className="muted">({plural(part.points, "point")})</span>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}

function RoleView({ org, role }: { org: Org; role: RoleDetail }) {
  const current = role.holders.filter((holder) => !holder.shadow);
  const shadows = role.holders.filter((holder) => holder.shadow);
  return (
    <>
      <header className="page-head">
        <div>
          <h1>{role.name}</h1>
          <p className="circle-meta">
            <span>
              in <Link to={circlePath(org.slug, role.circleId)}>{role.circleName}</Link>
            </span>
            {role.leadership && <span className="tag tag-leadership">Leadership</span>}
            {role.archivedAt && <span className="badge">Archived {formatDate(role.archivedAt)}</span>}
          </p>
        </div>
      </header>
      {role.can.update && <EditRoleForm org={org} role={role} />}
      {role.purpose ? (
        <blockquote className="purpose">
          <p className="purpose-label">Purpose</p>
          <p>{role.purpose}</p>
        </blockquote>
      ) : (
        <p className="muted">No purpose written yet.</p>
      )}
      <div className="detail-grid">
        <div className="detail-main">
          <section className="section" aria-labelledby="holders-title">
            <h2 id="holders-title">Held now</h2>
            {current.length === 0 ? (
              <p className="vacant">Vacant</p>
            ) : (
              <ul className="item-list">
                {current.map((holder) => (
                  <li key={holder.assignmentId} className="item">
                    <p className="item-head">
                      <MemberLink
                        slug={org.slug}
                        memberId={holder.memberId}
                        name={holder.name}
                        myMemberId={org.me.memberId}
                      />
                    </p>
                    <p className="muted timeline-meta">
                      {termSpan(holder.startsAt, holder.endsAt)} ·{" "}
                      {assignmentSourceLabel[holder.source] ?? holder.source}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            {shadows.length > 0 && (
              <p className="shadows">
                Learning beside them:{" "}
                {shadows.map((holder, i) => (
                  <span key={holder.assignmentId}>
                    {i > 0 && ", "}
                    <MemberLink
                      slug={org.slug}
                      memberId={holder.memberId}
                      name={holder.name}
                      myMemberId={org.me.memberId}
                    />
                  </span>
                ))}
              </p>
            )}
            {role.can.assign && !role.archivedAt && <AppointForm org={org} role={role} />}
          </section>
          <section className="section" aria-labelledby="history-title">
            <h2 id="history-title">History and handover notes</h2>
            <History org={org} role={role} />
          </section>
          {role.fillingPolicy === "rotation" && !role.archivedAt && (
            <section className="section" aria-labelledby="next-title">
              <h2 id="next-title">Who could take it next</h2>
              <NextInLine org={org} role={role} />
            </section>
          )}
        </div>
        <aside className="detail-side">
          <section className="panel" aria-labelledby="about-title">
            <h2 id="about-title">About this role</h2>
            <Description role={role} />
          </section>
          <section className="panel" aria-labelledby="accountabilities-title">
            <h2 id="accountabilities-title">Accountabilities</h2>
            {role.accountabilities.length === 0 ? (
              <p className="muted">None written yet.</p>
            ) : (
              <ul className="plain-list bulleted">
                {role.accountabilities.map((accountability) => (
                  <li key={accountability}>{accountability}</li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}

/** One role: what it is for, how it is filled, who holds it now, and everyone who held it before. */
export function RolePage() {
  const org = useOrg();
  const { roleId = "" } = useParams();
  const role = useQuery(roleQuery(org.slug, roleId));
  usePageTitle(`${role.data?.name ?? "Role"} · ${org.name}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        {role.data ? (
          <Link to={circlePath(org.slug, role.data.circleId)}>{role.data.circleName}</Link>
        ) : (
          <Link to={`/orgs/${org.slug}/circles`}>All circles</Link>
        )}
      </p>
      {role.isPending && <Loading label="Loading the role…" />}
      {role.isError && (
        <>
          <h1>Role not available</h1>
          <ErrorMessage
            error={role.error}
            title="The role could not be loaded"
            onRetry={() => role.refetch()}
          />
        </>
      )}
      {role.data && <RoleView org={org} role={role.data} />}
    </div>
  );
}
