import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { type DecisionRecord, reviewDecision } from "../api.js";
import { useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDate } from "../format.js";
import { decisionsQuery, proposalQuery } from "../queries.js";

const STATUS_WORDS: Record<DecisionRecord["status"], string> = {
  active: "In force",
  superseded: "Superseded",
  retired: "Retired",
};

type Intent = "keep" | "amend" | "retire";

const INTENTS: { value: Intent; label: string }[] = [
  { value: "keep", label: "Keep it for another term" },
  { value: "amend", label: "Amend it" },
  { value: "retire", label: "Retire it" },
];

/** Starting a review opens a new proposal linked to the decision; the circle decides it as any other. */
function ReviewForm({ slug, decision }: { slug: string; decision: DecisionRecord }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [intent, setIntent] = useState<Intent>("keep");
  const id = useId();
  const review = useMutation({
    mutationFn: () => reviewDecision(slug, decision.proposalId, intent),
    onSuccess: (proposal) => {
      queryClient.setQueryData(proposalQuery(slug, proposal.id).queryKey, proposal);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "decisions"] });
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "attention"] });
      navigate(`/orgs/${slug}/proposals/${proposal.id}`);
    },
  });
  return (
    <form
      className="review-form"
      onSubmit={(event) => {
        event.preventDefault();
        review.mutate();
      }}
    >
      {review.isError && <ErrorMessage error={review.error} title="The review was not started" />}
      <label htmlFor={id}>Review: propose to</label>
      <select id={id} value={intent} onChange={(event) => setIntent(event.target.value as Intent)}>
        {INTENTS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-primary" disabled={review.isPending}>
        {review.isPending ? "Starting…" : "Review"}
      </button>
    </form>
  );
}

function DecisionItem({ slug, decision }: { slug: string; decision: DecisionRecord }) {
  const { hash } = useLocation();
  const anchor = `decision-${decision.proposalId}`;
  return (
    <li
      id={anchor}
      className={`decision-row ${decision.dueForReview ? "is-due" : ""} ${hash === `#${anchor}` ? "is-target" : ""}`}
    >
      <div className="proposal-row-head">
        <Link to={`/orgs/${slug}/proposals/${decision.proposalId}`} className="proposal-row-title">
          {decision.title}
        </Link>
        {decision.dueForReview ? (
          <span className="badge state state-attention">Due for review</span>
        ) : (
          <span className="badge">{STATUS_WORDS[decision.status]}</span>
        )}
      </div>
      <p className="muted proposal-row-meta">
        {decision.circleName} · adopted {formatDate(decision.adoptedAt)} ·{" "}
        <span className={decision.dueForReview ? "due-date" : ""}>
          review by {formatDate(decision.reviewAt)}
        </span>
        {decision.concerns.length + decision.measures.length > 0 &&
          ` · ${decision.concerns.length + decision.measures.length} to check at review`}
      </p>
      {decision.openReview && (
        <p>
          <Link to={`/orgs/${slug}/proposals/${decision.openReview}`}>A review is under way</Link>
        </p>
      )}
      {decision.can.review && <ReviewForm slug={slug} decision={decision} />}
    </li>
  );
}

export function DecisionsPage() {
  const org = useOrg();
  usePageTitle(`Decisions · ${org.name}`);
  const decisions = useQuery(decisionsQuery(org.slug));
  const { hash } = useLocation();
  // An address naming one decision (from "needs you now") scrolls to it once the list has arrived.
  useEffect(() => {
    if (decisions.data && hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: "center" });
  }, [decisions.data, hash]);
  const sorted = [...(decisions.data ?? [])].sort(
    (a, b) => Number(b.dueForReview) - Number(a.dueForReview) || a.reviewAt.localeCompare(b.reviewAt),
  );
  return (
    <div className="page">
      <h1>Decisions</h1>
      <p className="lead">
        The circles' policies in force, each with the date it comes back for review. Those due come first.
      </p>
      {decisions.isPending && <Loading label="Loading decisions…" />}
      {decisions.isError && (
        <ErrorMessage
          error={decisions.error}
          title="The decisions could not be loaded"
          onRetry={() => decisions.refetch()}
        />
      )}
      {decisions.data?.length === 0 && (
        <p className="empty">No decisions yet. An adopted proposal becomes a decision with a review date.</p>
      )}
      {sorted.length > 0 && (
        <ul className="proposal-list" aria-label="Decisions">
          {sorted.map((decision) => (
            <DecisionItem key={decision.proposalId} slug={org.slug} decision={decision} />
          ))}
        </ul>
      )}
    </div>
  );
}
