import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../api.js";
import {
  type Crisis,
  type CrisisDecision,
  extendCrisis,
  ratifyCrisis,
  recordCrisisDecision,
  releaseCrisis,
  resolveCrisisDecision,
} from "../api-lifecycle.js";
import { ConfirmAction } from "../components/ConfirmAction.js";
import { CrisisStateBadge } from "../components/CrisisBits.js";
import { SelectField, TextAreaField, TextField } from "../components/Field.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDateTime } from "../format.js";
import { crisisDecisionLabel } from "../lifecycle.js";
import { circlesQuery, proposalsQuery } from "../queries.js";
import { crisisQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

const END_WORDS: Record<NonNullable<Crisis["endReason"]>, string> = {
  expired: "ended at its end time",
  released: "released early",
  unratified: "ended: the expedited grant was not ratified in time",
};

/** A write on the crisis whose answer is the crisis: the page shows it at once, the banner and lists follow. */
function useCrisisAction<Input>(slug: string, crisisId: string, write: (input: Input) => Promise<Crisis>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (crisis) => {
      queryClient.setQueryData(crisisQuery(slug, crisisId).queryKey, crisis);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "crises"] });
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "attention"] });
    },
  });
}

/**
 * The circle's consent behind a ratification, an extension or a judgement is a proposal it adopted: a
 * picker of those, with a way to draft one when there is none yet.
 */
function ConsentPicker({ slug, circleId, label }: { slug: string; circleId: string; label: string }) {
  const adopted = useQuery(proposalsQuery(slug, { states: ["adopted"], circleId }));
  const proposals = adopted.data?.proposals ?? [];
  if (adopted.isPending) return <Loading label="Loading the circle's decisions…" />;
  if (proposals.length === 0)
    return (
      <p className="muted">
        The circle has adopted no proposal to point to yet.{" "}
        <Link to={`/orgs/${slug}/proposals/new`}>Draft one</Link> and take it through a consent round first.
      </p>
    );
  return (
    <SelectField
      label={label}
      name="proposalId"
      required
      defaultValue=""
      hint="A proposal the circle adopted."
    >
      <option value="" disabled>
        Choose a proposal
      </option>
      {proposals.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </SelectField>
  );
}

function DecisionItem({
  slug,
  crisis,
  decision,
  nameOf,
}: {
  slug: string;
  crisis: Crisis;
  decision: CrisisDecision;
  nameOf: (id: string) => string;
}) {
  const [judging, setJudging] = useState(false);
  const resolve = useCrisisAction(
    slug,
    crisis.id,
    (input: { outcome: "ratified" | "revoked"; proposalId: string }) =>
      resolveCrisisDecision(slug, crisis.id, decision.id, input),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const outcome = form.get("outcome") === "revoked" ? "revoked" : "ratified";
    resolve.mutate({ outcome, proposalId: String(form.get("proposalId")) });
  };
  return (
    <li className={`crisis-decision crisis-decision-${decision.status}`}>
      <p className="crisis-decision-head">
        <span className={`badge decision-status-${decision.status}`}>
          {crisisDecisionLabel[decision.status]}
        </span>
        <span className="muted">
          {nameOf(decision.by)} · {formatDateTime(decision.at)}
        </span>
      </p>
      <p className="pre-wrap">{decision.text}</p>
      {decision.resolution && (
        <p className="muted">
          {decision.resolution.outcome === "ratified" ? "Ratified" : "Revoked"} by the circle on{" "}
          {formatDateTime(decision.resolution.at)} (
          <Link to={`/orgs/${slug}/proposals/${decision.resolution.proposalId}`}>its consent</Link>).
        </p>
      )}
      {decision.status === "awaiting_ratification" &&
        crisis.can.proposeDecisionReview &&
        (judging ? (
          <form className="form" onSubmit={submit} aria-label="Ratify or revoke this decision">
            {resolve.isError && <ErrorMessage error={resolve.error} title="That did not work" />}
            <fieldset className="choice-group">
              <legend>The circle's judgement</legend>
              <label className="choice">
                <input type="radio" name="outcome" value="ratified" defaultChecked />
                <span>Ratify: it stands</span>
              </label>
              <label className="choice">
                <input type="radio" name="outcome" value="revoked" />
                <span>Revoke: it is undone</span>
              </label>
            </fieldset>
            <ConsentPicker slug={slug} circleId={crisis.circleId} label="Decided by" />
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={resolve.isPending}>
                Record the judgement
              </button>
              <button type="button" className="button button-secondary" onClick={() => setJudging(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setJudging(true)}>
            Ratify or revoke…
          </button>
        ))}
    </li>
  );
}

function Decisions({
  slug,
  crisis,
  nameOf,
}: {
  slug: string;
  crisis: Crisis;
  nameOf: (id: string) => string;
}) {
  const record = useCrisisAction(slug, crisis.id, (text: string) =>
    recordCrisisDecision(slug, crisis.id, text),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get("text") ?? "").trim();
    record.mutate(text, { onSuccess: () => form.reset() });
  };
  return (
    <section className="panel" aria-labelledby="decisions-title">
      <h2 id="decisions-title">Crisis decisions</h2>
      {crisis.decisions.length === 0 ? (
        <p className="muted">No crisis decision recorded.</p>
      ) : (
        <ul className="crisis-decisions">
          {crisis.decisions.map((decision) => (
            <DecisionItem key={decision.id} slug={slug} crisis={crisis} decision={decision} nameOf={nameOf} />
          ))}
        </ul>
      )}
      {crisis.can.recordDecision && (
        <form className="form" onSubmit={submit} aria-label="Record a crisis decision">
          {record.isError && <ErrorMessage error={record.error} title="The decision was not recorded" />}
          <TextAreaField
            label="A decision within the scope"
            name="text"
            required
            rows={3}
            maxLength={10_000}
            hint="Logged and shown to everyone; the circle ratifies or revokes it once the authority ends."
          />
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            Record the decision
          </button>
        </form>
      )}
    </section>
  );
}

function Release({ slug, crisis }: { slug: string; crisis: Crisis }) {
  const release = useCrisisAction(slug, crisis.id, () => releaseCrisis(slug, crisis.id));
  if (!crisis.can.release) return null;
  return (
    <ConfirmAction
      opener="Release early…"
      openerClassName="button button-secondary"
      question="Hand the authority back now? It cannot be taken up again without a new grant."
      confirm="Release the authority"
      pending={release.isPending}
      onConfirm={() => release.mutate(undefined)}
      error={release.isError && <ErrorMessage error={release.error} title="The authority was not released" />}
    />
  );
}

function Ratify({ slug, crisis }: { slug: string; crisis: Crisis }) {
  const ratify = useCrisisAction(slug, crisis.id, (proposalId: string) =>
    ratifyCrisis(slug, crisis.id, proposalId),
  );
  if (!crisis.can.proposeRatification) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    ratify.mutate(String(new FormData(event.currentTarget).get("proposalId")));
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Ratify the expedited grant">
      <h3>Ratify the grant</h3>
      {ratify.isError && <ErrorMessage error={ratify.error} title="The grant was not ratified" />}
      <ConsentPicker slug={slug} circleId={crisis.circleId} label="The circle's consent" />
      <button type="submit" className="button button-primary" disabled={ratify.isPending}>
        Ratify
      </button>
    </form>
  );
}

function Extend({ slug, crisis }: { slug: string; crisis: Crisis }) {
  const extend = useCrisisAction(slug, crisis.id, (input: { proposalId: string; endsAt: string }) =>
    extendCrisis(slug, crisis.id, input),
  );
  if (!crisis.can.proposeExtension) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    extend.mutate({
      proposalId: String(form.get("proposalId")),
      endsAt: new Date(String(form.get("endsAt"))).toISOString(),
    });
  };
  return (
    <details className="form-details">
      <summary>Extend with a fresh consent</summary>
      <form className="form" onSubmit={submit} aria-label="Extend the crisis authority">
        {extend.isError && <ErrorMessage error={extend.error} title="The authority was not extended" />}
        <TextField label="New end" name="endsAt" type="datetime-local" required />
        <ConsentPicker slug={slug} circleId={crisis.circleId} label="The circle's consent" />
        <button type="submit" className="button button-primary" disabled={extend.isPending}>
          Extend
        </button>
      </form>
    </details>
  );
}

function CrisisView({ slug, crisis }: { slug: string; crisis: Crisis }) {
  const { nameOf } = useMemberNames(slug);
  const circles = useQuery(circlesQuery(slug));
  const circle = circles.data?.find((c) => c.id === crisis.circleId);
  const { grant } = crisis;
  const actions = crisis.can.release || crisis.can.proposeRatification || crisis.can.proposeExtension;
  return (
    <div className="page crisis-page">
      <p className="breadcrumb">
        <Link to={`/orgs/${slug}/crises`}>Crises</Link>
      </p>
      <header className="proposal-header">
        <div className="proposal-title-row">
          <h1>Crisis authority</h1>
          <CrisisStateBadge state={crisis.state} />
        </div>
        <p className="muted">
          {circle?.name ?? "A circle"} · held by {nameOf(crisis.holderId)} ·{" "}
          {crisis.activeNow
            ? `ends ${formatDateTime(crisis.endsAt)}`
            : `${crisis.endReason ? END_WORDS[crisis.endReason] : "ended"} ${formatDateTime(crisis.endsAt)}`}
        </p>
      </header>
      <div className="proposal-layout">
        <div className="proposal-main">
          <section className="panel" aria-labelledby="scope-title">
            <h2 id="scope-title">Scope</h2>
            <div className="proposal-text">{crisis.scope}</div>
            <p className="muted">
              Within this scope the holder decides without a consent round while the authority lasts. It ends
              by itself at its end time.
            </p>
          </section>
          <Decisions slug={slug} crisis={crisis} nameOf={nameOf} />
        </div>
        <div className="proposal-side">
          {actions && (
            <section className="panel facilitation" aria-labelledby="crisis-actions-title">
              <h2 id="crisis-actions-title">Authority</h2>
              <Release slug={slug} crisis={crisis} />
              <Ratify slug={slug} crisis={crisis} />
              <Extend slug={slug} crisis={crisis} />
            </section>
          )}
          <section className="panel" aria-labelledby="grant-title">
            <h2 id="grant-title">Grant</h2>
            <dl className="facts">
              <div>
                <dt>Holder</dt>
                <dd>{nameOf(crisis.holderId)}</dd>
              </div>
              <div>
                <dt>Granted</dt>
                <dd>
                  {grant.by === "consent" ? (
                    <>
                      By <Link to={`/orgs/${slug}/proposals/${grant.proposalId}`}>the circle's consent</Link>
                    </>
                  ) : (
                    `Expedited by ${grant.grantedBy.map(nameOf).join(" and ")}`
                  )}
                  , {formatDateTime(crisis.grantedAt)}
                </dd>
              </div>
              {crisis.ratifyBy && (
                <div>
                  <dt>Ratification</dt>
                  <dd>
                    {crisis.ratification ? (
                      <>
                        Ratified {formatDateTime(crisis.ratification.at)} (
                        <Link to={`/orgs/${slug}/proposals/${crisis.ratification.proposalId}`}>consent</Link>)
                      </>
                    ) : (
                      `Needed by ${formatDateTime(crisis.ratifyBy)}, or the authority ends then`
                    )}
                  </dd>
                </div>
              )}
              <div>
                <dt>{crisis.activeNow ? "Ends" : "Ended"}</dt>
                <dd>{formatDateTime(crisis.endsAt)}</dd>
              </div>
              {crisis.extensions.length > 0 && (
                <div>
                  <dt>Extended</dt>
                  <dd>
                    {crisis.extensions
                      .map((e) => `${formatDateTime(e.previousEndsAt)} → ${formatDateTime(e.endsAt)}`)
                      .join("; ")}
                  </dd>
                </div>
              )}
              {crisis.release && (
                <div>
                  <dt>Released</dt>
                  <dd>
                    by {nameOf(crisis.release.by)}, {formatDateTime(crisis.release.at)}
                  </dd>
                </div>
              )}
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}

export function CrisisPage() {
  const org = useOrg();
  const { id = "" } = useParams();
  const crisis = useQuery(crisisQuery(org.slug, id));
  usePageTitle(`Crisis authority · ${org.name}`);
  if (crisis.isPending)
    return (
      <div className="page">
        <Loading label="Loading the crisis…" />
      </div>
    );
  if (crisis.isError)
    return (
      <div className="page page-narrow">
        <h1>Crisis not available</h1>
        {crisis.error instanceof ApiError && crisis.error.status === 404 ? (
          <p>This crisis does not exist.</p>
        ) : (
          <ErrorMessage error={crisis.error} onRetry={() => crisis.refetch()} />
        )}
        <p>
          <Link to={`/orgs/${org.slug}/crises`}>Back to the crises</Link>
        </p>
      </div>
    );
  return <CrisisView slug={org.slug} crisis={crisis.data} />;
}
