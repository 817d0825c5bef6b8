import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { ApiError, type Proposal } from "../api.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { StateBadge, Steps } from "../components/ProposalBits.js";
import { DecisionSummary } from "../components/proposal/DecisionSummary.js";
import { AdvicePanel, Questions, Reactions } from "../components/proposal/Discussion.js";
import { AmendForm, Facilitation } from "../components/proposal/Facilitation.js";
import { Objections } from "../components/proposal/Objections.js";
import { RoundPanel } from "../components/proposal/Round.js";
import { Versions } from "../components/proposal/Versions.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDateTime } from "../format.js";
import { methodLabel } from "../proposals.js";
import { circlesQuery, proposalQuery } from "../queries.js";

function ProposalView({ slug, proposal }: { slug: string; proposal: Proposal }) {
  const { nameOf } = useMemberNames(slug);
  const circles = useQuery(circlesQuery(slug));
  const circle = circles.data?.find((c) => c.id === proposal.circleId);
  const version = proposal.currentVersion;
  const facilitators = proposal.facilitatorIds.map(nameOf).join(", ");
  return (
    <div className="page proposal-page">
      <p className="breadcrumb">
        <Link to={`/orgs/${slug}/proposals`}>Proposals</Link>
      </p>
      <header className="proposal-header">
        <div className="proposal-title-row">
          <h1>{proposal.title}</h1>
          <StateBadge state={proposal.state} />
        </div>
        <p className="muted">
          {circle?.name ?? "A circle"} · {methodLabel[proposal.method.kind]} · by {nameOf(proposal.authorId)}
          {facilitators && ` · facilitated by ${facilitators}`}
          {proposal.phase.deadline && ` · this phase ends ${formatDateTime(proposal.phase.deadline)}`}
        </p>
        <Steps proposal={proposal} />
      </header>

      <div className="proposal-layout">
        <div className="proposal-main">
          <section className="panel" aria-labelledby="text-title">
            <h2 id="text-title">
              Proposal <span className="muted">(version {version.number})</span>
            </h2>
            <div className="proposal-text">{version.text}</div>
            <AmendForm key={`${version.number}-${proposal.state}`} slug={slug} proposal={proposal} />
          </section>
          {proposal.decision && <DecisionSummary decision={proposal.decision} nameOf={nameOf} />}
          {proposal.round && (
            <RoundPanel slug={slug} proposal={proposal} round={proposal.round} nameOf={nameOf} />
          )}
          <Objections slug={slug} proposal={proposal} nameOf={nameOf} />
          <AdvicePanel slug={slug} proposal={proposal} nameOf={nameOf} />
          <Reactions slug={slug} proposal={proposal} nameOf={nameOf} />
          <Questions slug={slug} proposal={proposal} nameOf={nameOf} />
          <Versions key={version.number} slug={slug} proposal={proposal} nameOf={nameOf} />
        </div>
        <div className="proposal-side">
          <Facilitation slug={slug} proposal={proposal} />
          <section className="panel" aria-labelledby="about-title">
            <h2 id="about-title">About</h2>
            <dl className="facts">
              <div>
                <dt>Drafted</dt>
                <dd>{formatDateTime(proposal.createdAt)}</dd>
              </div>
              <div>
                <dt>Review term</dt>
                <dd>{proposal.reviewMonths} months once adopted</dd>
              </div>
              {proposal.review && (
                <div>
                  <dt>Reviews</dt>
                  <dd>
                    <Link to={`/orgs/${slug}/proposals/${proposal.review.of}`}>an earlier decision</Link> (
                    {proposal.review.intent})
                  </dd>
                </div>
              )}
              {proposal.rounds.length > 1 && (
                <div>
                  <dt>Rounds held</dt>
                  <dd>{proposal.rounds.length}</dd>
                </div>
              )}
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

export function ProposalPage() {
  const org = useOrg();
  const { id = "" } = useParams();
  const proposal = useQuery(proposalQuery(org.slug, id));
  usePageTitle(proposal.data ? `${proposal.data.title} · ${org.name}` : `Proposal · ${org.name}`);
  if (proposal.isPending)
    return (
      <div className="page">
        <Loading label="Loading the proposal…" />
      </div>
    );
  if (proposal.isError)
    return (
      <div className="page page-narrow">
        <h1>Proposal not available</h1>
        {proposal.error instanceof ApiError && proposal.error.status === 404 ? (
          <p>This proposal does not exist, or it is still its author's draft.</p>
        ) : (
          <ErrorMessage error={proposal.error} onRetry={() => proposal.refetch()} />
        )}
        <p>
          <Link to={`/orgs/${org.slug}/proposals`}>Back to the proposals</Link>
        </p>
      </div>
    );
  return <ProposalView slug={org.slug} proposal={proposal.data} />;
}
