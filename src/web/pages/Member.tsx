import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router-dom";
import type { Access, Org } from "../api.js";
import { type MemberDetail, type MemberProfile, updateMember } from "../api-people.js";
import { SelectField, TextField } from "../components/Field.js";
import { useOrg } from "../components/OrgFrame.js";
import { assignmentSourceLabel, circlePath, rolePath, termSpan } from "../components/People.js";
import { fromSkillRows, type SkillRow, SkillRows, toSkillRows } from "../components/SkillRows.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, circleKindLabel, formatDate, plural } from "../format.js";
import { leadershipHistoryQuery, memberQuery } from "../queries-people.js";
import "../people.css";

function Topics({ topics, none }: { topics: string[]; none: string }) {
  if (topics.length === 0) return <span className="muted">{none}</span>;
  return (
    <ul className="chips">
      {topics.map((topic) => (
        <li key={topic} className="chip">
          {topic}
        </li>
      ))}
    </ul>
  );
}

function ProfileView({ profile }: { profile: MemberProfile }) {
  return (
    <dl className="facts facts-grid">
      <dt>Skills</dt>
      <dd>
        {profile.skills.length === 0 ? (
          <span className="muted">No skills listed yet.</span>
        ) : (
          <ul className="chips">
            {profile.skills.map((s) => (
              <li key={s.skill} className="chip">
                {s.skill} <span className="chip-level">{s.level} of 5</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Interests</dt>
      <dd>
        <Topics topics={profile.interests} none="No interests listed yet." />
      </dd>
      <dt>Available</dt>
      <dd>
        {profile.hoursAvailable === null ? (
          <span className="muted">Not said.</span>
        ) : (
          `${plural(profile.hoursAvailable, "hour")} a week`
        )}
      </dd>
      <dt>Offers mentoring in</dt>
      <dd>
        <Topics topics={profile.mentoringOffered} none="Nothing listed." />
      </dd>
      <dt>Would like mentoring in</dt>
      <dd>
        <Topics topics={profile.mentoringWanted} none="Nothing listed." />
      </dd>
    </dl>
  );
}

/** Comma- or line-separated topics, as the profile keeps them. */
const topicList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((topic) => topic.trim())
    .filter(Boolean);

function ProfileForm({
  org,
  member,
  onDone,
}: {
  org: Org;
  member: MemberDetail;
  onDone: (saved: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const { profile } = member;
  const [skills, setSkills] = useState<SkillRow[]>(toSkillRows(profile.skills));
  const save = useMutation({
    mutationFn: (change: Partial<MemberProfile>) => updateMember(org.slug, member.id, change),
    onSuccess: (updated) => {
      queryClient.setQueryData(memberQuery(org.slug, member.id).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ["org", org.slug, "members"] });
      onDone(true);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const hours = String(form.get("hours")).trim();
    save.mutate({
      skills: fromSkillRows(skills),
      interests: topicList(String(form.get("interests"))),
      hoursAvailable: hours === "" ? null : Number(hours),
      mentoringOffered: topicList(String(form.get("mentoringOffered"))),
      mentoringWanted: topicList(String(form.get("mentoringWanted"))),
    });
  };
  const listHint = "Separate them with commas.";
  return (
    <form className="form profile-form" onSubmit={submit} aria-label="Your profile">
      {save.isError && <ErrorMessage error={save.error} title="Your profile was not saved" />}
      <SkillRows legend="Skills" rows={skills} maxLength={80} onChange={setSkills} />
      <TextField
        label="Interests"
        name="interests"
        defaultValue={profile.interests.join(", ")}
        hint={`What you would like to work on or learn about. ${listHint}`}
      />
      <TextField
        label="Hours available per week"
        name="hours"
        type="number"
        inputMode="decimal"
        min={0}
        max={168}
        step={0.5}
        defaultValue={profile.hoursAvailable ?? ""}
        hint="Leave empty if you would rather not say."
      />
      <TextField
        label="Offers mentoring in"
        name="mentoringOffered"
        defaultValue={profile.mentoringOffered.join(", ")}
        hint={listHint}
      />
      <TextField
        label="Would like mentoring in"
        name="mentoringWanted"
        defaultValue={profile.mentoringWanted.join(", ")}
        hint={listHint}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save profile"}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AccessForm({ org, member }: { org: Org; member: MemberDetail }) {
  const queryClient = useQueryClient();
  const [access, setAccess] = useState<Access>(member.access);
  const change = useMutation({
    mutationFn: () => updateMember(org.slug, member.id, { access }),
    onSuccess: (updated) => {
      queryClient.setQueryData(memberQuery(org.slug, member.id).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ["org", org.slug] });
    },
  });
  return (
    <form
      className="form-inline access-form"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate();
      }}
    >
      <SelectField
        label="Access level"
        value={access}
        onChange={(event) => setAccess(event.target.value as Access)}
        hint="Admins manage membership and settings; observers read and comment but do not take part in decisions."
      >
        {(Object.keys(accessLabel) as Access[]).map((level) => (
          <option key={level} value={level}>
            {accessLabel[level]}
          </option>
        ))}
      </SelectField>
      <button
        type="submit"
        className="button button-secondary"
        disabled={change.isPending || access === member.access}
      >
        {change.isPending ? "Changing…" : "Change access"}
      </button>
      {change.isError && <ErrorMessage error={change.error} title="The access was not changed" />}
      {change.isSuccess && access === member.access && (
        <p role="status" className="saved">
          Access changed to {accessLabel[member.access].toLowerCase()}.
        </p>
      )}
    </form>
  );
}

function LeadershipHistory({ org, member }: { org: Org; member: MemberDetail }) {
  const history = useQuery(leadershipHistoryQuery(org.slug, member.id));
  if (history.isPending) return <Loading label="Gathering the terms…" />;
  if (history.isError)
    return (
      <ErrorMessage
        error={history.error}
        title="The leadership history could not be loaded"
        onRetry={() => history.refetch()}
      />
    );
  const terms = history.data;
  if (terms.length === 0) return <p className="muted">{member.name} has not held a role yet.</p>;
  const leading = terms.filter((term) => term.role.leadership && !term.shadow).length;
  return (
    <>
      <p className="muted">
        {plural(terms.length, "term")}, {leading} of them in a leadership role.
      </p>
      <ol className="timeline" aria-label={`Terms of ${member.name}, newest first`}>
        {terms.map((term) => (
          <li key={term.id} className={`timeline-item${term.active ? " timeline-now" : ""}`}>
            <p className="item-head">
              <Link to={rolePath(org.slug, term.role.id)} className="item-title">
                {term.role.name}
              </Link>
              <span>
                in <Link to={circlePath(org.slug, term.role.circleId)}>{term.role.circleName}</Link>
              </span>
              {term.role.leadership && <span className="tag tag-leadership">Leadership</span>}
              {term.shadow && <span className="tag tag-shadow">shadowing</span>}
              {term.active && <span className="badge">Now</span>}
            </p>
            <p className="muted timeline-meta">
              {termSpan(term.startsAt, term.endsAt)} · {assignmentSourceLabel[term.source] ?? term.source}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}

function MemberView({ org, member }: { org: Org; member: MemberDetail }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const isMe = member.id === org.me.memberId;
  return (
    <>
      <header className="page-head">
        <div>
          <h1>
            {member.name}
            {isMe && <span className="muted heading-note"> (you)</span>}
          </h1>
          <p className="circle-meta">
            <span className="badge">{accessLabel[member.access]}</span>
            <span>Member since {formatDate(member.joinedAt)}</span>
            {!member.hasAccount && <span className="badge">No account yet</span>}
            {member.archivedAt && <span className="badge">Archived {formatDate(member.archivedAt)}</span>}
          </p>
        </div>
      </header>
      <div className="detail-grid">
        <div className="detail-main">
          <section className="section section-first" aria-labelledby="profile-title">
            <div className="section-head">
              <h2 id="profile-title">Profile</h2>
              {member.can.updateProfile && !editing && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => {
                    setSaved(false);
                    setEditing(true);
                  }}
                >
                  Edit profile
                </button>
              )}
            </div>
            {saved && (
              <p role="status" className="saved">
                Profile saved.
              </p>
            )}
            {editing ? (
              <ProfileForm
                org={org}
                member={member}
                onDone={(didSave) => {
                  setSaved(didSave);
                  setEditing(false);
                }}
              />
            ) : (
              <ProfileView profile={member.profile} />
            )}
          </section>
          <section className="section" aria-labelledby="history-title">
            <h2 id="history-title">Leadership history</h2>
            <LeadershipHistory org={org} member={member} />
          </section>
        </div>
        <aside className="detail-side">
          <section className="panel" aria-labelledby="roles-now-title">
            <h2 id="roles-now-title">Roles now</h2>
            {member.assignments.length === 0 ? (
              <p className="muted">No role right now.</p>
            ) : (
              <ul className="plain-list">
                {member.assignments.map((held) => (
                  <li key={held.id}>
                    {held.shadow && "Shadowing "}
                    <Link to={rolePath(org.slug, held.role.id)} className="strong-link">
                      {held.role.name}
                    </Link>{" "}
                    in <Link to={circlePath(org.slug, held.circle.id)}>{held.circle.name}</Link>
                    {held.until && <span className="muted"> · until {formatDate(held.until)}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="circles-title">
            <h2 id="circles-title">Circles</h2>
            {member.circles.length === 0 ? (
              <p className="muted">Not in a circle yet.</p>
            ) : (
              <ul className="plain-list">
                {member.circles.map((circle) => (
                  <li key={circle.id}>
                    <Link to={circlePath(org.slug, circle.id)}>{circle.name}</Link>
                    <span className="muted"> · {circleKindLabel[circle.kind]}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {member.can.changeAccess && (
            <section className="panel" aria-labelledby="access-title">
              <h2 id="access-title">Access</h2>
              <AccessForm org={org} member={member} />
            </section>
          )}
        </aside>
      </div>
    </>
  );
}

/** A member's profile (editable by themself), the roles they hold and every term they have held. */
export function MemberPage() {
  const org = useOrg();
  const { memberId = "" } = useParams();
  const member = useQuery(memberQuery(org.slug, memberId));
  usePageTitle(`${member.data?.name ?? "Member"} · ${org.name}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/orgs/${org.slug}/members`}>All members</Link>
      </p>
      {member.isPending && <Loading label="Loading the profile…" />}
      {member.isError && (
        <>
          <h1>Member not available</h1>
          <ErrorMessage
            error={member.error}
            title="The profile could not be loaded"
            onRetry={() => member.refetch()}
          />
        </>
      )}
      {member.data && <MemberView org={org} member={member.data} />}
    </div>
  );
}
