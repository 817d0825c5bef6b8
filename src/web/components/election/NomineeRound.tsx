import { type FormEvent, useId, useState } from "react";
import {
  type Election,
  type ElectionObjection,
  type ElectionRound,
  type NomineeResponse,
  type NomineeResponseInput,
  resolveElectionObjection,
  respondToNominee,
} from "../../api-lifecycle.js";
import { formatDate, formatDateTime } from "../../format.js";
import { termWords } from "../../lifecycle.js";
import { TextAreaField, TextField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { byName, useElectionAction } from "./actions.js";

const RESPONSE_WORDS: Record<NomineeResponse["kind"], string> = {
  consent: "Consent",
  consent_with_concern: "Consent with concern",
  object: "Objection",
};

const CHOICES: { value: NomineeResponseInput["kind"]; label: string; hint: string }[] = [
  { value: "consent", label: "Consent", hint: "I can support this person in the role for this term." },
  {
    value: "consent_with_concern",
    label: "Consent with concern",
    hint: "I consent, and name a concern for them to keep in mind.",
  },
  { value: "object", label: "Object", hint: "It would harm the circle's aim; I say how." },
];

/** The facilitator's proposal in play: who, why and for how long. */
export function NomineeProposal({
  election,
  nameOf,
}: {
  election: Election;
  nameOf: (id: string) => string;
}) {
  const { proposal } = election;
  if (!proposal) return null;
  const term = election.termInForce ?? proposal.termDays;
  return (
    <section className="panel nominee-proposal" aria-labelledby="proposal-title">
      <h2 id="proposal-title">Proposed nominee</h2>
      <p className="proposed">
        {nameOf(proposal.proposedBy)} proposes <strong>{nameOf(proposal.nomineeId)}</strong> for{" "}
        {termWords(term)}
        {term !== proposal.termDays &&
          ` (shortened from ${termWords(proposal.termDays)} to integrate an objection)`}
        .
      </p>
      <p className="reasons">{proposal.reasons}</p>
      {election.proposals.length > 1 && (
        <p className="muted">
          Earlier proposals:{" "}
          {election.proposals
            .slice(0, -1)
            .map((p) => nameOf(p.nomineeId))
            .join(", ")}
          .
        </p>
      )}
    </section>
  );
}

function RespondForm({
  slug,
  election,
  round,
  nameOf,
  me,
}: {
  slug: string;
  election: Election;
  round: ElectionRound;
  nameOf: (id: string) => string;
  me: string;
}) {
  const [choice, setChoice] = useState<NomineeResponseInput["kind"] | null>(null);
  const whyId = useId();
  const send = useElectionAction(slug, election.id, (response: NomineeResponseInput) =>
    respondToNominee(slug, election.id, response),
  );
  const isNominee = round.nomineeId === me;
  // The nominee answers last: the form is there, disabled, saying what it waits for.
  const waitingForOthers = isNominee && !election.can.respond;
  const othersLeft = round.participants.filter(
    (id) => id !== round.nomineeId && !round.responses.some((r) => r.memberId === id && r.current),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    if (choice === "consent") send.mutate({ kind: "consent" });
    else if (choice === "consent_with_concern") send.mutate({ kind: choice, concern: text("concern") });
    else if (choice === "object") send.mutate({ kind: choice, reason: text("reason") });
  };
  return (
    <form className="form respond" onSubmit={submit}>
      {send.isError && <ErrorMessage error={send.error} title="Your response was not recorded" />}
      {waitingForOthers && (
        <p className="notice notice-info" id={whyId}>
          You are the nominee, so you answer last: once everyone else has responded
          {othersLeft.length > 0 && ` (still waiting for ${byName(othersLeft, nameOf).join(", ")})`}.
        </p>
      )}
      <fieldset className="choice-group" disabled={waitingForOthers}>
        <legend>{isNominee ? "Your answer as the nominee" : "Your response"}</legend>
        {CHOICES.map((option) => (
          <label key={option.value} className="choice">
            <input
              type="radio"
              name="choice"
              value={option.value}
              checked={choice === option.value}
              onChange={() => setChoice(option.value)}
            />
            <span>
              <strong>{option.label}</strong>
              <span className="choice-hint">{option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {choice === "consent_with_concern" && (
        <TextAreaField label="Your concern" name="concern" required rows={3} maxLength={2000} />
      )}
      {choice === "object" && (
        <TextAreaField
          label="Your objection"
          name="reason"
          required
          rows={3}
          maxLength={4000}
          hint="How this choice would harm the circle's aim; a shorter term may integrate it."
        />
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={waitingForOthers || !choice || send.isPending}
        aria-describedby={waitingForOthers ? whyId : undefined}
      >
        {send.isPending ? "Sending…" : "Send response"}
      </button>
    </form>
  );
}

/** The consent round on the nominee: who has responded (the nominee last), the counts, and the viewer's say. */
export function NomineeRoundPanel({
  slug,
  election,
  round,
  me,
  nameOf,
}: {
  slug: string;
  election: Election;
  round: ElectionRound;
  me: string;
  nameOf: (id: string) => string;
}) {
  const current = new Map(round.responses.filter((r) => r.current).map((r) => [r.memberId, r]));
  const running = round.closedAt === null;
  // Everyone by name, the nominee at the end: that is the order they answer in.
  const others = byName(
    round.participants.filter((id) => id !== round.nomineeId),
    nameOf,
  );
  const order = [...others, round.nomineeId];
  const { tally } = round;
  const mayAnswer = running && round.participants.includes(me);
  return (
    <section className="panel round" aria-labelledby="round-title">
      <h2 id="round-title">
        Consent round {round.number > 1 ? round.number : ""}
        {!running && <span className="muted"> (closed)</span>}
      </h2>
      <p className="muted">
        On {nameOf(round.nomineeId)} for {termWords(round.termDays)} · opened {formatDateTime(round.openedAt)}
        {round.deadline ? ` · deadline ${formatDateTime(round.deadline)}` : ""}
        {round.closedAt && ` · closed ${formatDateTime(round.closedAt)}`}
      </p>
      <div className="tally" data-testid="tally">
        <p className="tally-summary">
          <strong>
            {tally.responded} of {tally.eligible}
          </strong>{" "}
          responded · quorum {tally.quorumNeeded} {tally.quorumMet ? "(met)" : "(not yet met)"}
        </p>
        <dl className="tally-counts">
          <div className="tally-count">
            <dt>Consent</dt>
            <dd>{tally.consent}</dd>
          </div>
          <div className="tally-count">
            <dt>With concern</dt>
            <dd>{tally.consentWithConcern}</dd>
          </div>
          <div className="tally-count">
            <dt>Objections</dt>
            <dd>{tally.object}</dd>
          </div>
        </dl>
      </div>
      <h3>Participants</h3>
      <ol className="participants" aria-label="Participants and their responses, the nominee last">
        {order.map((memberId) => {
          const response = current.get(memberId);
          return (
            <li key={memberId}>
              <span className="participant-name">{nameOf(memberId)}</span>
              {memberId === round.nomineeId && (
                <span className="tag tag-nominee">nominee · answers last</span>
              )}
              <span
                className={`badge ${response ? (response.kind === "object" ? "badge-warn" : "badge-done") : ""}`}
              >
                {response ? RESPONSE_WORDS[response.kind] : running ? "Waiting" : "No response"}
              </span>
              {response?.kind === "consent_with_concern" && (
                <span className="participant-note">Concern: {response.concern}</span>
              )}
            </li>
          );
        })}
      </ol>
      {round.myResponse && (
        <p className="my-response">
          You responded: <strong>{RESPONSE_WORDS[round.myResponse.kind]}</strong> (
          {formatDateTime(round.myResponse.at)})
        </p>
      )}
      {mayAnswer && (election.can.respond || round.nomineeId === me) && (
        <RespondForm slug={slug} election={election} round={round} nameOf={nameOf} me={me} />
      )}
    </section>
  );
}

function resolutionWords(objection: ElectionObjection): string | null {
  const resolution = objection.resolution;
  if (!resolution) return null;
  switch (resolution.outcome) {
    case "integrated":
      return `Integrated by a shorter term: ${termWords(resolution.termDays)}.`;
    case "withdrawn":
      return "Withdrawn by the person who raised it.";
    case "superseded":
      return "Set aside: another nominee was proposed.";
  }
}

function ObjectionItem({
  slug,
  election,
  objection,
  nameOf,
}: {
  slug: string;
  election: Election;
  objection: ElectionObjection;
  nameOf: (id: string) => string;
}) {
  const [integrating, setIntegrating] = useState(false);
  const resolve = useElectionAction(
    slug,
    election.id,
    (resolution: Parameters<typeof resolveElectionObjection>[3]) =>
      resolveElectionObjection(slug, election.id, objection.id, resolution),
  );
  const term = election.termInForce ?? election.term.days;
  const integrate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const termDays = Number(new FormData(event.currentTarget).get("termDays"));
    resolve.mutate({ outcome: "integrated", by: "shorter_term", termDays });
  };
  const status = objection.resolution ? objection.resolution.outcome : "open";
  return (
    <li className={`objection objection-${status === "open" ? "open" : "integrated"}`}>
      <p className="objection-head">
        <strong>{nameOf(objection.memberId)}</strong>
        <span className={`badge objection-status-${status === "open" ? "open" : "integrated"}`}>
          {status === "open" ? "Open" : status[0]?.toUpperCase() + status.slice(1)}
        </span>
        <span className="muted">round {objection.round}</span>
      </p>
      <p className="objection-reason">{objection.reason}</p>
      {objection.resolution && <p className="muted">{resolutionWords(objection)}</p>}
      {resolve.isError && <ErrorMessage error={resolve.error} title="That did not work" />}
      <div className="actions">
        {objection.can.integrate && !integrating && (
          <button type="button" className="button button-secondary" onClick={() => setIntegrating(true)}>
            Integrate by a shorter term…
          </button>
        )}
        {objection.can.withdraw && (
          <button
            type="button"
            className="button button-secondary"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate({ outcome: "withdrawn" })}
          >
            Withdraw my objection
          </button>
        )}
      </div>
      {integrating && (
        <form className="form" onSubmit={integrate}>
          <TextField
            label="Shorter term (days)"
            name="termDays"
            type="number"
            min={1}
            max={Math.max(1, term - 1)}
            defaultValue={Math.max(1, Math.floor(term / 2))}
            required
            hint={`Now ${termWords(term)}. The circle consents again on the shorter term.`}
          />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={resolve.isPending}>
              Mark integrated
            </button>
            <button type="button" className="button button-secondary" onClick={() => setIntegrating(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export function ElectionObjections({
  slug,
  election,
  nameOf,
}: {
  slug: string;
  election: Election;
  nameOf: (id: string) => string;
}) {
  if (election.objections.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="objections-title">
      <h2 id="objections-title">Objections</h2>
      {election.state === "integrating" && (
        <p className="muted">
          The facilitator integrates each objection (for example by a shorter term) before a fresh consent
          round, or proposes another nominee.
        </p>
      )}
      <ul className="objections">
        {election.objections.map((objection) => (
          <ObjectionItem
            key={objection.id}
            slug={slug}
            election={election}
            objection={objection}
            nameOf={nameOf}
          />
        ))}
      </ul>
    </section>
  );
}

/** The result: who now holds the role, from when until when. */
export function ElectionOutcome({
  election,
  nameOf,
}: {
  election: Election;
  nameOf: (id: string) => string;
}) {
  const { outcome } = election;
  if (!outcome) return null;
  return (
    <section className="panel decision" aria-labelledby="outcome-title">
      <h2 id="outcome-title">Elected</h2>
      <p data-testid="election-outcome">
        <strong>{nameOf(outcome.memberId)}</strong> holds the role for {termWords(outcome.termDays)}, from{" "}
        {formatDate(outcome.startsAt)} to {formatDate(outcome.endsAt)}. A re-selection reminder comes before
        the term ends.
      </p>
    </section>
  );
}
