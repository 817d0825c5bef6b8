import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, type Circle, type Org } from "../api.js";
import { nestCircles } from "../circles.js";
import { CircleList } from "../components/CircleList.js";
import { CircleMap } from "../components/CircleMap.js";
import { People } from "../components/People.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, plural } from "../format.js";
import { circlesQuery, membersQuery, orgQuery } from "../queries.js";

function CirclesSection({ org, circles }: { org: Org; circles: Circle[] }) {
  const roots = useMemo(() => nestCircles(circles), [circles]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (circles.length === 0)
    return (
      <p className="empty">
        No circles yet. Circles are the teams that hold the organisation's work: each has an aim, its own
        domain, and roles its members fill.
      </p>
    );
  return (
    <div className="circles-layout">
      <CircleMap orgName={org.name} roots={roots} selectedId={selectedId} onSelect={setSelectedId} />
      <CircleList
        roots={roots}
        selectedId={selectedId}
        onSelect={setSelectedId}
        myMemberId={org.me.memberId}
      />
    </div>
  );
}

function Overview({ org }: { org: Org }) {
  const circles = useQuery(circlesQuery(org.slug));
  const members = useQuery(membersQuery(org.slug));
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/orgs">All organisations</Link>
      </p>
      <header className="org-header">
        <h1>{org.name}</h1>
        <p className="org-access">
          You are {org.me.access === "admin" ? "an" : "a"}{" "}
          <strong>{accessLabel[org.me.access].toLowerCase()}</strong>
          {circles.data && ` · ${plural(circles.data.length, "circle")}`}
          {members.data && ` · ${plural(members.data.total, "member")}`}
        </p>
        {org.purpose ? (
          <blockquote className="purpose">
            <p className="purpose-label">Purpose</p>
            <p>{org.purpose}</p>
          </blockquote>
        ) : (
          <p className="muted">No purpose written yet.</p>
        )}
      </header>

      <section className="section" aria-labelledby="circles-title">
        <h2 id="circles-title">Circles</h2>
        {circles.isPending && <Loading label="Loading circles…" />}
        {circles.isError && (
          <ErrorMessage
            error={circles.error}
            title="The circles could not be loaded"
            onRetry={() => circles.refetch()}
          />
        )}
        {circles.data && <CirclesSection org={org} circles={circles.data} />}
      </section>

      <section className="section" aria-labelledby="people-title">
        <h2 id="people-title">Who holds which role</h2>
        {(members.isPending || circles.isPending) && <Loading label="Loading people…" />}
        {members.isError && (
          <ErrorMessage
            error={members.error}
            title="The members could not be loaded"
            onRetry={() => members.refetch()}
          />
        )}
        {members.data && circles.data && (
          <>
            <People members={members.data.members} circles={circles.data} myMemberId={org.me.memberId} />
            {members.data.total > members.data.members.length && (
              <p className="muted">
                Showing the first {members.data.members.length} of {members.data.total} members.
              </p>
            )}
          </>
        )}
      </section>
    </div>
  );
}

export function OrgOverviewPage() {
  const { slug = "" } = useParams();
  const org = useQuery(orgQuery(slug));
  usePageTitle(org.data?.name ?? "Organisation");
  if (org.isPending)
    return (
      <div className="page">
        <Loading label="Loading the organisation…" />
      </div>
    );
  if (org.isError)
    return (
      <div className="page page-narrow">
        <h1>Organisation not available</h1>
        {org.error instanceof ApiError && org.error.status === 404 ? (
          <p>This organisation does not exist, or you are not one of its members.</p>
        ) : (
          <ErrorMessage error={org.error} onRetry={() => org.refetch()} />
        )}
        <p>
          <Link to="/orgs">Back to your organisations</Link>
        </p>
      </div>
    );
  return <Overview org={org.data} />;
}
