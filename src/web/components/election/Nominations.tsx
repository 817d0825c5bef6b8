import { type FormEvent, useState } from "react";
import { type Election, type Nomination, nominate } from "../../api-lifecycle.js";
import { formatDateTime, plural } from "../../format.js";
import { SelectField, TextAreaField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { byName, useElectionAction } from "./actions.js";

/** Each nominator's latest nomination: a change after the reveal replaces the one it changes. */
function currentNominations(nominations: readonly Nomination[]): Nomination[] {
  const latest = new Map<string, Nomination>();
  for (const nomination of nominations) latest.set(nomination.nominatorId, nomination);
  return [...latest.values()];
}

function NominateForm({
  slug,
  election,
  mine,
  nameOf,
}: {
  slug: string;
  election: Election;
  mine: Nomination | undefined;
  nameOf: (id: string) => string;
}) {
  const [nomineeId, setNomineeId] = useState(mine?.nomineeId ?? "");
  const send = useElectionAction(slug, election.id, (input: { nomineeId: string; reason: string }) =>
    nominate(slug, election.id, input),
  );
  const changing = election.state === "changing";
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    send.mutate({ nomineeId, reason });
  };
  return (
    <form className="form" onSubmit={submit} aria-label={changing ? "Change your nomination" : "Nominate"}>
      {send.isError && <ErrorMessage error={send.error} title="Your nomination was not recorded" />}
      <SelectField
        label={changing ? "Your nomination now" : mine ? "Nominate instead" : "Who you nominate"}
        value={nomineeId}
        onChange={(event) => setNomineeId(event.target.value)}
        required
        hint="Anyone taking part, yourself included."
      >
        <option value="" disabled>
          Choose a person
        </option>
        {byName(election.participants, nameOf).map((id) => (
          <option key={id} value={id}>
            {nameOf(id)}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Your reason"
        name="reason"
        required
        rows={3}
        maxLength={4000}
        hint="Why this person fits the role and its qualifications."
      />
      <button type="submit" className="button button-primary" disabled={send.isPending || !nomineeId}>
        {send.isPending ? "Sending…" : changing ? "Change my nomination" : "Nominate"}
      </button>
    </form>
  );
}

/** The reveal: each nominee with how many nominate them now and every reason given, changes marked. */
function Reveal({ election, nameOf }: { election: Election; nameOf: (id: string) => string }) {
  const current = currentNominations(election.nominations);
  const changedFrom = new Map(
    election.nominations
      .filter((n) => n.round === "nominating")
      .map((n) => [n.nominatorId, n.nomineeId] as const),
  );
  return (
    <ul className="nominees" aria-label="Nominees, with their reasons">
      {election.nominationCounts.map(({ nomineeId, count }) => (
        <li key={nomineeId} className="nominee">
          <p className="nominee-head">
            <span className="nominee-name">{nameOf(nomineeId)}</span>
            <span className="badge badge-done">{plural(count, "nomination")}</span>
          </p>
          <ul className="nomination-reasons">
            {current
              .filter((n) => n.nomineeId === nomineeId)
              .map((n) => {
                const earlier = changedFrom.get(n.nominatorId);
                return (
                  <li key={n.nominatorId}>
                    <span className="nominator">{nameOf(n.nominatorId)}:</span> {n.reason}
                    {n.round === "changing" && earlier && earlier !== nomineeId && (
                      <span className="tag">changed from {nameOf(earlier)}</span>
                    )}
                  </li>
                );
              })}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/**
 * Nominations. Until the reveal each member sees only their own, and the page says so; from the reveal
 * on everyone sees each nominee's count and reasons, and those who nominated may change.
 */
export function Nominations({
  slug,
  election,
  me,
  nameOf,
}: {
  slug: string;
  election: Election;
  me: string;
  nameOf: (id: string) => string;
}) {
  const revealed = election.revealedAt !== null;
  const mine = currentNominations(election.nominations).find((n) => n.nominatorId === me);
  if (!revealed && election.state !== "nominating" && election.nominations.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="nominations-title">
      <h2 id="nominations-title">Nominations</h2>
      {!revealed && (
        <p className="notice notice-info">
          Nominations stay hidden until the facilitator reveals them: you see only your own.
        </p>
      )}
      {revealed && (
        <>
          <p className="muted">Revealed {formatDateTime(election.revealedAt ?? "")}.</p>
          <Reveal election={election} nameOf={nameOf} />
        </>
      )}
      {!revealed && mine && (
        <p className="my-nomination">
          You nominated <strong>{nameOf(mine.nomineeId)}</strong>: {mine.reason}
        </p>
      )}
      {!revealed && !mine && election.state === "nominating" && !election.can.nominate && (
        <p className="muted">Only the members taking part nominate.</p>
      )}
      {election.can.nominate && (
        <NominateForm
          key={`${election.state}-${mine?.at ?? ""}`}
          slug={slug}
          election={election}
          mine={mine}
          nameOf={nameOf}
        />
      )}
    </section>
  );
}
