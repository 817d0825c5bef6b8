import { type FormEvent, useState } from "react";
import {
  advanceElection,
  cancelElection,
  type Election,
  type ElectionAdvance,
  proposeNominee,
} from "../../api-lifecycle.js";
import { termWords } from "../../lifecycle.js";
import { ConfirmAction } from "../ConfirmAction.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { byName, useElectionAction } from "./actions.js";

const deadlineFrom = (value: FormDataEntryValue | null) =>
  typeof value === "string" && value ? new Date(value).toISOString() : null;

function TermForm({ slug, election }: { slug: string; election: Election }) {
  const advance = useElectionAction(slug, election.id, (input: ElectionAdvance) =>
    advanceElection(slug, election.id, input),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    advance.mutate({
      to: "qualifying",
      termDays: Number(form.get("termDays")),
      description: String(form.get("description") ?? "").trim() || null,
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="The term consented to">
      {advance.isError && <ErrorMessage error={advance.error} title="That did not work" />}
      <TextField
        label="Term (days)"
        name="termDays"
        type="number"
        min={1}
        max={1830}
        defaultValue={election.term.days}
        required
        hint="As the circle consented to it, after reviewing the role."
      />
      <TextAreaField
        label="Role description (optional)"
        name="description"
        rows={3}
        defaultValue={election.term.description ?? ""}
      />
      <button type="submit" className="button button-primary" disabled={advance.isPending}>
        Term agreed: name qualifications
      </button>
    </form>
  );
}

function QualificationsForm({ slug, election }: { slug: string; election: Election }) {
  const advance = useElectionAction(slug, election.id, (input: ElectionAdvance) =>
    advanceElection(slug, election.id, input),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const qualifications = String(form.get("qualifications") ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    advance.mutate({ to: "nominating", qualifications, deadline: deadlineFrom(form.get("deadline")) });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="The qualifications consented to">
      {advance.isError && <ErrorMessage error={advance.error} title="That did not work" />}
      <TextAreaField
        label="Qualifications, one a line"
        name="qualifications"
        rows={4}
        defaultValue={election.qualifications.join("\n")}
        hint="Kept with the role for its next election."
      />
      <TextField
        label="Nominations close (optional)"
        name="deadline"
        type="datetime-local"
        hint="Without a deadline, you close them."
      />
      <button type="submit" className="button button-primary" disabled={advance.isPending}>
        Qualifications agreed: open nominations
      </button>
    </form>
  );
}

/** The nominee with the most nominations now, as the proposal form's first choice. */
const leadingNominee = (election: Election) =>
  election.proposal?.nomineeId ?? election.nominationCounts[0]?.nomineeId ?? "";

function ProposeForm({
  slug,
  election,
  nameOf,
}: {
  slug: string;
  election: Election;
  nameOf: (id: string) => string;
}) {
  const [nomineeId, setNomineeId] = useState(leadingNominee(election));
  const propose = useElectionAction(
    slug,
    election.id,
    (input: { nomineeId: string; reasons: string; termDays: number }) =>
      proposeNominee(slug, election.id, input),
  );
  const counts = new Map(election.nominationCounts.map((c) => [c.nomineeId, c.count]));
  const replacing = election.state !== "proposing";
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    propose.mutate({
      nomineeId,
      reasons: String(form.get("reasons") ?? "").trim(),
      termDays: Number(form.get("termDays")),
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Propose a nominee">
      {propose.isError && <ErrorMessage error={propose.error} title="The proposal was not made" />}
      <SelectField
        label={replacing ? "Propose another nominee" : "Nominee"}
        value={nomineeId}
        onChange={(event) => setNomineeId(event.target.value)}
        required
        hint="Weigh the reasons, not only the counts."
      >
        <option value="" disabled>
          Choose a person
        </option>
        {byName(election.participants, nameOf).map((id) => (
          <option key={id} value={id}>
            {nameOf(id)} ({counts.get(id) ?? 0})
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Reasons" name="reasons" required rows={3} maxLength={4000} />
      <TextField
        label="Term (days)"
        name="termDays"
        type="number"
        min={1}
        max={1830}
        defaultValue={election.termInForce ?? election.term.days}
        required
        hint={`The term agreed is ${termWords(election.term.days)}.`}
      />
      <button type="submit" className="button button-primary" disabled={propose.isPending || !nomineeId}>
        {replacing ? "Propose instead" : "Propose this nominee"}
      </button>
    </form>
  );
}

/** The facilitator's controls (or the starter's, where the circle has none), each shown only when `can` allows it. */
export function ElectionFacilitation({
  slug,
  election,
  nameOf,
}: {
  slug: string;
  election: Election;
  nameOf: (id: string) => string;
}) {
  const { can } = election;
  const advance = useElectionAction(slug, election.id, (input: ElectionAdvance) =>
    advanceElection(slug, election.id, input),
  );
  const cancel = useElectionAction(slug, election.id, () => cancelElection(slug, election.id));
  const anything =
    can.agreeTerm ||
    can.agreeQualifications ||
    can.revealNominations ||
    can.closeChanges ||
    can.propose ||
    can.openConsentRound ||
    can.decide ||
    can.cancel;
  if (!anything) return null;
  // The steps that close a phase, in the order an election meets them.
  const closings = [
    { allowed: can.revealNominations, to: "changing", label: "Close nominations and reveal" },
    { allowed: can.closeChanges, to: "proposing", label: "Close the change round" },
    { allowed: can.decide, to: "decided", label: "Close the consent round" },
  ] as const;
  const openRound = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    advance.mutate({
      to: "consent_round",
      deadline: deadlineFrom(new FormData(event.currentTarget).get("deadline")),
    });
  };
  return (
    <section className="panel facilitation" aria-labelledby="facilitation-title">
      <h2 id="facilitation-title">Facilitation</h2>
      {advance.isError && <ErrorMessage error={advance.error} title="That did not work" />}
      {can.agreeTerm && <TermForm slug={slug} election={election} />}
      {can.agreeQualifications && <QualificationsForm slug={slug} election={election} />}
      <div className="actions">
        {closings
          .filter(({ allowed }) => allowed)
          .map(({ to, label }) => (
            <button
              key={to}
              type="button"
              className="button button-primary"
              disabled={advance.isPending}
              onClick={() => advance.mutate({ to })}
            >
              {label}
            </button>
          ))}
      </div>
      {can.openConsentRound && (
        <form className="form" onSubmit={openRound} aria-label="Open the consent round">
          <TextField
            label="Deadline (optional)"
            name="deadline"
            type="datetime-local"
            hint="Without one, the round closes when the nominee, answering last, has responded."
          />
          <button type="submit" className="button button-primary" disabled={advance.isPending}>
            Open the consent round
          </button>
        </form>
      )}
      {can.propose && !election.proposal && (
        <ProposeForm key={election.proposals.length} slug={slug} election={election} nameOf={nameOf} />
      )}
      {can.propose && election.proposal && (
        <details className="form-details">
          <summary>Propose someone else</summary>
          <ProposeForm key={election.proposals.length} slug={slug} election={election} nameOf={nameOf} />
        </details>
      )}
      {can.cancel && (
        <ConfirmAction
          opener="Cancel the election…"
          question="Cancel this election? It stays in the record, closed; the role keeps its current holder."
          confirm="Cancel the election"
          pending={cancel.isPending}
          onConfirm={() => cancel.mutate(undefined)}
          error={
            cancel.isError && <ErrorMessage error={cancel.error} title="The election was not cancelled" />
          }
        />
      )}
    </section>
  );
}
