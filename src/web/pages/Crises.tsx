import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import type { Crisis } from "../api-lifecycle.js";
import { CrisisStateBadge } from "../components/CrisisBits.js";
import { GrantCrisisForm } from "../components/forms/GrantCrisisForm.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDateTime, plural } from "../format.js";
import { circlesQuery } from "../queries.js";
import { crisesQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

function CrisisRow({ crisis, circleName }: { crisis: Crisis; circleName: string }) {
  const org = useOrg();
  const { nameOf } = useMemberNames(org.slug);
  const awaiting = crisis.decisions.filter((d) => d.status === "awaiting_ratification").length;
  return (
    <li className={`proposal-row crisis-row crisis-row-${crisis.state}`}>
      <div className="proposal-row-head">
        <Link to={`/orgs/${org.slug}/crises/${crisis.id}`} className="proposal-row-title">
          {crisis.scope.split("\n")[0]}
        </Link>
        <CrisisStateBadge state={crisis.state} />
      </div>
      <p className="muted proposal-row-meta">
        {circleName} · held by {nameOf(crisis.holderId)} · {crisis.activeNow ? "ends" : "ended"}{" "}
        {formatDateTime(crisis.endsAt)} · {plural(crisis.decisions.length, "decision")}
      </p>
      {awaiting > 0 && (
        <p className="needs-you">{plural(awaiting, "decision")} awaiting the circle's ratification</p>
      )}
    </li>
  );
}

export function CrisesPage() {
  const org = useOrg();
  usePageTitle(`Crises · ${org.name}`);
  const crises = useQuery(crisesQuery(org.slug));
  const circles = useQuery(circlesQuery(org.slug));
  const circleName = (id: string) => circles.data?.find((c) => c.id === id)?.name ?? "A circle";
  // Any participant may ask; the server checks the grant itself (consent or two leadership holders).
  const myCircles = (circles.data ?? []).filter((c) => c.can.propose);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Crises</h1>
      </div>
      <p className="lead">
        Time-boxed crisis authority: one member decides within a written scope until an end time, every
        decision is logged, and the circle ratifies or revokes each one afterwards.
      </p>
      {myCircles.length > 0 && <GrantCrisisForm org={org} circles={myCircles} />}
      {crises.isPending && <Loading label="Loading crises…" />}
      {crises.isError && (
        <ErrorMessage
          error={crises.error}
          title="The crises could not be loaded"
          onRetry={() => crises.refetch()}
        />
      )}
      {crises.data?.length === 0 && (
        <p className="empty">No crisis authority has been granted. Authority stays distributed.</p>
      )}
      {crises.data && crises.data.length > 0 && (
        <ul className="proposal-list" aria-label="Crises, active first">
          {crises.data.map((crisis) => (
            <CrisisRow key={crisis.id} crisis={crisis} circleName={circleName(crisis.circleId)} />
          ))}
        </ul>
      )}
    </div>
  );
}
