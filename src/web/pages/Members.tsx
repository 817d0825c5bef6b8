import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { Access, Org } from "../api.js";
import { type MemberSummary, updateMember } from "../api-people.js";
import { useOrg } from "../components/OrgFrame.js";
import { MemberLink } from "../components/People.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, plural } from "../format.js";
import { memberSearchQuery } from "../queries-people.js";
import "../people.css";

const ACCESS_LEVELS = Object.keys(accessLabel) as Access[];
const isAccess = (value: string | null): value is Access => ACCESS_LEVELS.includes(value as Access);

/** An admin's control for one member's access, applied with its own button. */
function AccessChange({ org, member }: { org: Org; member: MemberSummary }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [access, setAccess] = useState<Access>(member.access);
  const change = useMutation({
    mutationFn: () => updateMember(org.slug, member.id, { access }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["org", org.slug] }),
  });
  return (
    <form
      className="access-change"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Access of {member.name}
      </label>
      <select id={id} value={access} onChange={(event) => setAccess(event.target.value as Access)}>
        {ACCESS_LEVELS.map((level) => (
          <option key={level} value={level}>
            {accessLabel[level]}
          </option>
        ))}
      </select>
      {access !== member.access && (
        <button type="submit" className="button button-quiet" disabled={change.isPending}>
          Save<span className="visually-hidden"> access of {member.name}</span>
        </button>
      )}
      {change.isError && <ErrorMessage error={change.error} title="The access was not changed" />}
    </form>
  );
}

function MemberRow({ org, member }: { org: Org; member: MemberSummary }) {
  const skills = [...member.skills].sort((a, b) => b.level - a.level).slice(0, 4);
  return (
    <li className="item member-row">
      <div className="member-row-main">
        <p className="item-head">
          <span className="item-title">
            <MemberLink
              slug={org.slug}
              memberId={member.id}
              name={member.name}
              myMemberId={org.me.memberId}
            />
          </span>
          {!member.can.changeAccess && <span className="badge">{accessLabel[member.access]}</span>}
          {!member.hasAccount && <span className="badge">No account yet</span>}
        </p>
        {skills.length > 0 && (
          <p className="muted member-skills">{skills.map((s) => `${s.skill} ${s.level}/5`).join(" · ")}</p>
        )}
      </div>
      {member.can.changeAccess && <AccessChange key={member.access} org={org} member={member} />}
    </li>
  );
}

/** Everyone in the organisation, searchable by name and access; an admin changes access here. */
export function MembersPage() {
  const org = useOrg();
  usePageTitle(`Members · ${org.name}`);
  const searchId = useId();
  const accessId = useId();
  // The search lives in the address, so a filtered list can be shared and survives a reload.
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const accessParam = params.get("access");
  const access = isAccess(accessParam) ? accessParam : undefined;
  const deferredQ = useDeferredValue(q.trim());
  const members = useQuery({
    ...memberSearchQuery(org.slug, { q: deferredQ || undefined, access }),
    placeholderData: keepPreviousData,
  });
  const setParam = (name: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Members</h1>
        {org.can.invite && (
          <Link to={`/orgs/${org.slug}/settings#invitations`} className="button button-primary">
            Invite people
          </Link>
        )}
      </div>
      <search className="filters">
        <div className="filter filter-grow">
          <label htmlFor={searchId}>Search by name</label>
          <input
            id={searchId}
            type="search"
            value={q}
            maxLength={100}
            onChange={(event) => setParam("q", event.target.value)}
          />
        </div>
        <div className="filter">
          <label htmlFor={accessId}>Access</label>
          <select
            id={accessId}
            value={access ?? ""}
            onChange={(event) => setParam("access", event.target.value)}
          >
            <option value="">Everyone</option>
            {ACCESS_LEVELS.map((level) => (
              <option key={level} value={level}>
                {accessLabel[level]}s
              </option>
            ))}
          </select>
        </div>
      </search>
      {members.isPending && <Loading label="Loading members…" />}
      {members.isError && (
        <ErrorMessage
          error={members.error}
          title="The members could not be loaded"
          onRetry={() => members.refetch()}
        />
      )}
      {members.data && (
        <>
          <p className="muted" role="status">
            {members.data.total === 0
              ? "Nobody matches."
              : members.data.total > members.data.members.length
                ? `Showing the first ${members.data.members.length} of ${members.data.total} members.`
                : plural(members.data.total, "member")}
          </p>
          {members.data.members.length > 0 && (
            <ul className="item-list" aria-label="Members">
              {members.data.members.map((member) => (
                <MemberRow key={member.id} org={org} member={member} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
