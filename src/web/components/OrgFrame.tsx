import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, NavLink, Outlet, useLocation, useOutletContext, useParams } from "react-router-dom";
import { ApiError, type Org } from "../api.js";
import { type LiveStatus, useLiveUpdates } from "../live.js";
import { membersQuery, orgQuery } from "../queries.js";
import { CrisisBanner } from "./CrisisBanner.js";
import { ErrorMessage, Loading, usePageTitle } from "./Status.js";
import "../org-nav.css";

const LIVE_WORDS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Live updates paused: reload to resume",
};

interface Section {
  label: string;
  /** The path under the organisation's, "" for its home. */
  path: string;
}

interface SectionGroup {
  label: string;
  /** The group's link opens its first page. */
  pages: readonly Section[];
  /** Paths whose pages belong to the group without a link of their own (a role sits in its circle). */
  alsoUnder?: readonly string[];
}

/**
 * The organisation's pages, grouped so the bar fits one row on a wide screen and two on a phone: a group
 * is one link, and its own pages show as a second row while one of them is open.
 */
const SECTIONS: readonly (Section | SectionGroup)[] = [
  { label: "Home", path: "" },
  { label: "Proposals", path: "proposals" },
  { label: "Decisions", path: "decisions" },
  {
    label: "Leadership",
    pages: [
      { label: "Elections", path: "elections" },
      { label: "Rotation", path: "rotation" },
      { label: "Crises", path: "crises" },
    ],
  },
  {
    label: "People",
    pages: [
      { label: "Circles", path: "circles" },
      { label: "Members", path: "members" },
    ],
    alsoUnder: ["roles"],
  },
  { label: "Dashboard", path: "dashboard" },
];
const SETTINGS: Section = { label: "Settings", path: "settings" };

const isGroup = (section: Section | SectionGroup): section is SectionGroup => "pages" in section;

/** The group of the page at `pathname` (below the organisation's `base`), if it is in one. */
function openGroup(base: string, pathname: string) {
  const first = pathname.slice(base.length).split("/")[1] ?? "";
  return SECTIONS.filter(isGroup).find(
    (group) => group.pages.some((page) => page.path === first) || group.alsoUnder?.includes(first),
  );
}

function OrgNav({ org, live }: { org: Org; live: LiveStatus }) {
  const base = `/orgs/${org.slug}`;
  const group = openGroup(base, useLocation().pathname);
  const sections = org.can.update ? [...SECTIONS, SETTINGS] : SECTIONS;
  const to = (path: string) => (path ? `${base}/${path}` : base);
  return (
    <div className="org-header">
      <div className="org-header-top">
        <p className="org-bar-name">
          <Link to="/orgs" className="org-bar-switch">
            All organisations
          </Link>
          <span aria-hidden="true"> / </span>
          <span>{org.name}</span>
        </p>
        <p className={`live-status live-${live}`} role="status">
          <span className="live-dot" aria-hidden="true" />
          {LIVE_WORDS[live]}
        </p>
      </div>
      <nav aria-label={`${org.name} sections`} className="org-sections">
        {sections.map((section) =>
          isGroup(section) ? (
            <Link
              key={section.label}
              to={to(section.pages[0]?.path ?? "")}
              aria-current={section === group ? "true" : undefined}
            >
              {section.label}
            </Link>
          ) : (
            <NavLink key={section.label} to={to(section.path)} end={section.path === ""}>
              {section.label}
            </NavLink>
          ),
        )}
      </nav>
      {group && (
        <nav aria-label={`${group.label} pages`} className="org-subsections">
          {group.pages.map((page) => (
            <NavLink key={page.label} to={to(page.path)}>
              {page.label}
            </NavLink>
          ))}
        </nav>
      )}
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
