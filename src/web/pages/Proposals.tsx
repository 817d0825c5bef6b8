import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { Proposal, ProposalFilter } from "../api.js";
import { useOrg } from "../components/OrgFrame.js";
import { StateBadge } from "../components/ProposalBits.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDate } from "../format.js";
import { CLOSED_STATES, methodLabel, OPEN_STATES, respondedCount } from "../proposals.js";
import { circlesQuery, proposalsQuery } from "../queries.js";

type StateGroup = "open" | "closed" | "all";

const STATE_GROUPS: Record<StateGroup, { label: string; states?: ProposalFilter["states"] }> = {
  open: { label: "Open", states: OPEN_STATES },
  closed: { label: "Closed", states: CLOSED_STATES },
  all: { label: "All" },
};

function useProposalFilter() {
  const [params, setParams] = useSearchParams();
  const group = (params.get("state") ?? "open") as StateGroup;
  const stateGroup = group in STATE_GROUPS ? group : "open";
  const circleId = params.get("circle") ?? "";
  const needsMyResponse = params.get("mine") === "1";
  const set = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  const filter: ProposalFilter = {
    ...(STATE_GROUPS[stateGroup].states ? { states: STATE_GROUPS[stateGroup].states } : {}),
    ...(circleId ? { circleId } : {}),
    ...(needsMyResponse ? { needsMyResponse } : {}),
  };
  return { stateGroup, circleId, needsMyResponse, filter, set };
}

function ProposalRow({ proposal, circleName }: { proposal: Proposal; circleName: string | undefined }) {
  const { slug } = useOrg();
  const round = proposal.round;
  const awaitingMe = proposal.can.respond && round?.myResponse === null;
  return (
    <li className="proposal-row">
      <div className="proposal-row-head">
        <Link to={`/orgs/${slug}/proposals/${proposal.id}`} className="proposal-row-title">
          {proposal.title}
        </Link>
        <StateBadge state={proposal.state} />
      </div>
      <p className="muted proposal-row-meta">
        {circleName ?? "A circle"} · {methodLabel[proposal.method.kind]} · since{" "}
        {formatDate(proposal.phase.enteredAt)}
        {round && round.closedAt === null && (
          <>
            {" "}
            · {respondedCount(round.tally)} of {round.tally.eligible} responded
          </>
        )}
      </p>
      {awaitingMe && <p className="needs-you">Your response is awaited</p>}
    </li>
  );
}

export function ProposalsPage() {
  const org = useOrg();
  usePageTitle(`Proposals · ${org.name}`);
  const { stateGroup, circleId, needsMyResponse, filter, set } = useProposalFilter();
  const proposals = useQuery(proposalsQuery(org.slug, filter));
  const circles = useQuery(circlesQuery(org.slug));
  const circleName = (id: string) => circles.data?.find((c) => c.id === id)?.name;
  const ids = { state: useId(), circle: useId(), mine: useId() };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Proposals</h1>
        <Link to={`/orgs/${org.slug}/proposals/new`} className="button button-primary">
          New proposal
        </Link>
      </div>
      <form className="filters" aria-label="Filter proposals" onSubmit={(event) => event.preventDefault()}>
        <div className="filter">
          <label htmlFor={ids.state}>Show</label>
          <select id={ids.state} value={stateGroup} onChange={(event) => set("state", event.target.value)}>
            {Object.entries(STATE_GROUPS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={ids.circle}>Circle</label>
          <select
            id={ids.circle}
            value={circleId}
            onChange={(event) => set("circle", event.target.value || null)}
          >
            <option value="">Every circle</option>
            {circles.data?.map((circle) => (
              <option key={circle.id} value={circle.id}>
                {circle.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter filter-check">
          <input
            id={ids.mine}
            type="checkbox"
            checked={needsMyResponse}
            onChange={(event) => set("mine", event.target.checked ? "1" : null)}
          />
          <label htmlFor={ids.mine}>Needs my response</label>
        </div>
      </form>
      {proposals.isPending && <Loading label="Loading proposals…" />}
      {proposals.isError && (
        <ErrorMessage
          error={proposals.error}
          title="The proposals could not be loaded"
          onRetry={() => proposals.refetch()}
        />
      )}
      {proposals.data?.proposals.length === 0 && (
        <p className="empty">
          No proposals here.{" "}
          {stateGroup === "open" && !needsMyResponse && !circleId
            ? "Anyone in a circle can draft one: it is presented, questioned, reacted to, then decided."
            : "Try other filters."}
        </p>
      )}
      {proposals.data && proposals.data.proposals.length > 0 && (
        <ul className="proposal-list" aria-label="Proposals">
          {proposals.data.proposals.map((proposal) => (
            <ProposalRow key={proposal.id} proposal={proposal} circleName={circleName(proposal.circleId)} />
          ))}
        </ul>
      )}
      {proposals.data?.hasMore && <p className="muted">Showing the 100 most recently active.</p>}
    </div>
  );
}
