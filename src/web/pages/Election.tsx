import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../api.js";
import type { Election } from "../api-lifecycle.js";
import { ElectionStateBadge, ElectionSteps, useRoleNames } from "../components/election/ElectionBits.js";
import { ElectionFacilitation } from "../components/election/Facilitation.js";
import { Nominations } from "../components/election/Nominations.js";
import {
  ElectionObjections,
  ElectionOutcome,
  NomineeProposal,
  NomineeRoundPanel,
} from "../components/election/NomineeRound.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDate, formatDateTime, plural } from "../format.js";
import { termWords } from "../lifecycle.js";
import { electionQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

function RoleAndTerm({ election }: { election: Election }) {
  const term = election.termInForce ?? election.term.days;
  return (
    <section className="panel" aria-labelledby="term-title">
      <h2 id="term-title">Role and term</h2>
      <dl className="facts">
        <div>
          <dt>Term</dt>
          <dd>
            {termWords(term)}
            {election.state === "describing" && " (proposed: the circle reviews the role and consents to it)"}
          </dd>
        </div>
        {election.term.description && (
          <div>
            <dt>Role description</dt>
            <dd className="pre-wrap">{election.term.description}</dd>
          </div>
        )}
        <div>
          <dt>Qualifications</dt>
          <dd>
            {election.qualifications.length === 0 ? (
              <span className="muted">
                {election.state === "describing" || election.state === "qualifying"
                  ? "Not named yet."
                  : "None named."}
              </span>
            ) : (
              <ul className="qualifications">
                {election.qualifications.map((q) => (
                  <li key={q}>{q}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ElectionView({ slug, election, me }: { slug: string; election: Election; me: string }) {
  const { nameOf } = useMemberNames(slug);
  const found = useRoleNames(slug)(election.roleId);
  const roleName = found?.role.name ?? "a role";
  const facilitators = election.facilitatorIds.map(nameOf).join(", ");
  const holders = found?.role.holders.filter((h) => !h.shadow) ?? [];
  return (
    <div className="page election-page">
      <p className="breadcrumb">
        <Link to={`/orgs/${slug}/elections`}>Elections</Link>
      </p>
      <header className="proposal-header">
        <div className="proposal-title-row">
          <h1>Election: {roleName}</h1>
          <ElectionStateBadge state={election.state} />
        </div>
        <p className="muted">
          {found?.circle.name ?? "A circle"} · started by {nameOf(election.startedBy)}
          {facilitators && ` · facilitated by ${facilitators}`}
          {election.phase.deadline && ` · this step ends ${formatDateTime(election.phase.deadline)}`}
        </p>
        <ElectionSteps election={election} />
      </header>
      <div className="proposal-layout">
        <div className="proposal-main">
          <ElectionOutcome election={election} nameOf={nameOf} />
          {election.round && (
            <NomineeRoundPanel
              slug={slug}
              election={election}
              round={election.round}
              me={me}
              nameOf={nameOf}
            />
          )}
          <ElectionObjections slug={slug} election={election} nameOf={nameOf} />
          <NomineeProposal election={election} nameOf={nameOf} />
          <Nominations slug={slug} election={election} me={me} nameOf={nameOf} />
          <RoleAndTerm election={election} />
        </div>
        <div className="proposal-side">
          <ElectionFacilitation slug={slug} election={election} nameOf={nameOf} />
          <section className="panel" aria-labelledby="about-title">
            <h2 id="about-title">About</h2>
            <dl className="facts">
              <div>
                <dt>Held now by</dt>
                <dd data-testid="role-holder">
                  {holders.length === 0
                    ? "Nobody"
                    : holders
                        .map((h) => `${h.name}${h.endsAt ? ` (until ${formatDate(h.endsAt)})` : ""}`)
                        .join(", ")}
                </dd>
              </div>
              <div>
                <dt>Taking part</dt>
                <dd>{plural(election.participants.length, "member")}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatDateTime(election.createdAt)}</dd>
              </div>
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

export function ElectionPage() {
  const org = useOrg();
  const { id = "" } = useParams();
  const election = useQuery(electionQuery(org.slug, id));
  const found = useRoleNames(org.slug)(election.data?.roleId ?? "");
  usePageTitle(found ? `Election: ${found.role.name} · ${org.name}` : `Election · ${org.name}`);
  if (election.isPending)
    return (
      <div className="page">
        <Loading label="Loading the election…" />
      </div>
    );
  if (election.isError)
    return (
      <div className="page page-narrow">
        <h1>Election not available</h1>
        {election.error instanceof ApiError && election.error.status === 404 ? (
          <p>This election does not exist, or you may not read it.</p>
        ) : (
          <ErrorMessage error={election.error} onRetry={() => election.refetch()} />
        )}
        <p>
          <Link to={`/orgs/${org.slug}/elections`}>Back to the elections</Link>
        </p>
      </div>
    );
  return <ElectionView slug={org.slug} election={election.data} me={org.me.memberId} />;
}
