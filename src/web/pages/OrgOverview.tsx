import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";
import type { Circle, Org } from "../api.js";
import { nestCircles } from "../circles.js";
import { CircleList } from "../components/CircleList.js";
import { CircleMap } from "../components/CircleMap.js";
import { NewCircleForm } from "../components/forms/NewCircleForm.js";
import { useOrg } from "../components/OrgFrame.js";
import { circlePath, People } from "../components/People.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { circlesQuery, membersQuery } from "../queries.js";

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
      <CircleMap
        orgName={org.name}
        roots={roots}
        selectedId={selectedId}
        onSelect={setSelectedId}
        circleHref={(circleId) => circlePath(org.slug, circleId)}
      />
      <CircleList
        roots={roots}
        selectedId={selectedId}
        onSelect={setSelectedId}
        slug={org.slug}
        myMemberId={org.me.memberId}
      />
    </div>
  );
}

/** The organisation's circles (map and nested list) and who holds which role. */
export function CirclesAndPeople({
  org,
  headingLevel = 2,
  actions,
}: {
  org: Org;
  headingLevel?: 1 | 2;
  /** What the viewer can do here, shown under the heading. */
  actions?: ReactNode;
}) {
  const circles = useQuery(circlesQuery(org.slug));
  const members = useQuery(membersQuery(org.slug));
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <>
      <section className="section" aria-labelledby="circles-title">
        <Heading id="circles-title">Circles</Heading>
        {actions}
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
            <People
              slug={org.slug}
              members={members.data.members}
              circles={circles.data}
              myMemberId={org.me.memberId}
            />
            {members.data.total > members.data.members.length && (
              <p className="muted">
                Showing the first {members.data.members.length} of {members.data.total} members.
              </p>
            )}
          </>
        )}
      </section>
    </>
  );
}

export function CirclesPage() {
  const org = useOrg();
  usePageTitle(`Circles · ${org.name}`);
  return (
    <div className="page page-first-section">
      <CirclesAndPeople
        org={org}
        headingLevel={1}
        actions={org.can.createCircle && <NewCircleForm org={org} />}
      />
    </div>
  );
}
