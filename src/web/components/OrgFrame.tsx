import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router-dom";
import { ApiError, type Org } from "../api.js";
import { type LiveStatus, useLiveUpdates } from "../live.js";
import { membersQuery, orgQuery } from "../queries.js";
import { CrisisBanner } from "./CrisisBanner.js";
import { ErrorMessage, Loading, usePageTitle } from "./Status.js";

const LIVE_WORDS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Live updates paused: reload to resume",
};

function OrgNav({ org, live }: { org: Org; live: LiveStatus }) {
  const base = `/orgs/${org.slug}`;
  return (
    <div className="org-bar">
      <p className="org-bar-name">
        <Link to="/orgs" className="org-bar-switch">
          All organisations
        </Link>
        <span aria-hidden="true"> / </span>
        <span>{org.name}</span>
      </p>
      <nav aria-label={`${org.name} sections`} className="org-nav">
        <NavLink to={base} end>
          Home
        </NavLink>
        <NavLink to={`${base}/proposals`}>Proposals</NavLink>
        <NavLink to={`${base}/decisions`}>Decisions</NavLink>
        <NavLink to={`${base}/circles`}>Circles</NavLink>
        <NavLink to={`${base}/members`}>Members</NavLink>
        <NavLink to={`${base}/elections`}>Elections</NavLink>
        <NavLink to={`${base}/rotation`}>Rotation</NavLink>
        <NavLink to={`${base}/crises`}>Crises</NavLink>
        {org.can.update && <NavLink to={`${base}/settings`}>Settings</NavLink>}
      </nav>
      <p className={`live-status live-${live}`} role="status">
        <span className="live-dot" aria-hidden="true" />
        {LIVE_WORDS[live]}
      </p>
    </div>
  );
}

function LiveOrg({ org }: { org: Org }) {
  const live = useLiveUpdates(org.slug);
  return (
    <>
      <OrgNav org={org} live={live} />
      <CrisisBanner org={org} />
      <Outlet context={org} />
    </>
  );
}

function OrgUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  usePageTitle("Organisation not available");
  return (
    <div className="page page-narrow">
      <h1>Organisation not available</h1>
      {error instanceof ApiError && error.status === 404 ? (
        <p>This organisation does not exist, or you are not one of its members.</p>
      ) : (
        <ErrorMessage error={error} onRetry={onRetry} />
      )}
      <p>
        <Link to="/orgs">Back to your organisations</Link>
      </p>
    </div>
  );
}

/**
 * The pages of one organisation: its navigation, the live event stream that keeps them current, and the
 * organisation itself for the page inside (see useOrg).
 */
export function OrgFrame() {
  const { slug = "" } = useParams();
  const org = useQuery(orgQuery(slug));
  if (org.isPending)
    return (
      <div className="page">
        <Loading label="Loading the organisation…" />
      </div>
    );
  if (org.isError) return <OrgUnavailable error={org.error} onRetry={() => org.refetch()} />;
  return <LiveOrg org={org.data} />;
}

/** The organisation of the page being shown (inside OrgFrame). */
export const useOrg = () => useOutletContext<Org>();

/** Member names by id, for showing who did what; an unknown id reads as "A member". */
export function useMemberNames(slug: string) {
  const members = useQuery(membersQuery(slug));
  return useMemo(() => {
    const names = new Map((members.data?.members ?? []).map((m) => [m.id, m.name]));
    return {
      names,
      nameOf: (id: string) => names.get(id) ?? "A member",
      members: members.data?.members ?? [],
    };
  }, [members.data]);
}
