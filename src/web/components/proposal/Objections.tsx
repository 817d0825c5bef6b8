import { type FormEvent, useState } from "react";
import { type Objection, type ObjectionResolution, type Proposal, resolveObjection } from "../../api.js";
import { formatDateTime } from "../../format.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { useProposalAction } from "./actions.js";

const STATUS_WORDS: Record<Objection["status"], string> = {
  open: "Open",
  integrated: "Integrated",
  withdrawn: "Withdrawn",
  overruled: "Overruled",
};

function resolutionWords(objection: Objection, nameOf: (id: string) => string): string | null {
  const resolution = objection.resolution;
  if (!resolution) return null;
  switch (resolution.outcome) {
    case "withdrawn":
      return "Withdrawn by the person who raised it.";
    case "overruled":
      return `Overruled with the circle's consent (${resolution.circleConsent?.consentedBy.map(nameOf).join(", ")}): ${resolution.circleConsent?.record}`;
    case "integrated":
      if (resolution.by === "amendment") return `Integrated by amendment: version ${resolution.version}.`;
      if (resolution.by === "shorter_term")
        return `Integrated by a shorter term: review after ${resolution.reviewMonths} months.`;
      return `Integrated by a measure to check at review: ${resolution.measure}`;
  }
}

type Mode = "integrate" | "overrule" | null;

function ResolveForms({
  slug,
  proposal,
  objection,
  nameOf,
}: {
  slug: string;
  proposal: Proposal;
  objection: Objection;
  nameOf: (id: string) => string;
}) {
  const [mode, setMode] = useState<Mode>(null);
  const [by, setBy] = useState<"amendment" | "shorter_term" | "measure">("amendment");
  const resolve = useProposalAction(slug, proposal.id, (resolution: ObjectionResolution) =>
    resolveObjection(slug, proposal.id, objection.id, resolution),
  );
  const later = proposal.versions.filter((v) => v.number > objection.version);
  const integrate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (by === "amendment")
      resolve.mutate({ outcome: "integrated", by, version: Number(form.get("version")) });
    else if (by === "shorter_term")
      resolve.mutate({ outcome: "integrated", by, reviewMonths: Number(form.get("reviewMonths")) });
    else resolve.mutate({ outcome: "integrated", by, measure: String(form.get("measure")).trim() });
  };
  const overrule = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    resolve.mutate({
      outcome: "overruled",
      circleConsent: {
        consentedBy: form.getAll("consentedBy").map(String),
        record: String(form.get("record")).trim(),
      },
    });
  };
  const { can } = objection;
  return (
    <div className="resolve">
      {resolve.isError && <ErrorMessage error={resolve.error} title="The objection was not resolved" />}
      <div className="actions">
        {can.integrate && (
          <button type="button" className="button button-secondary" onClick={() => setMode("integrate")}>
            Integrate…
          </button>
        )}
        {can.overrule && (
          <button type="button" className="button button-quiet" onClick={() => setMode("overrule")}>
            Overrule with circle consent…
          </button>
        )}
        {can.withdraw && (
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
      {mode === "integrate" && (
        <form className="form" onSubmit={integrate} aria-label="Integrate the objection">
          <SelectField
            label="Integrated by"
            name="by"
            value={by}
            onChange={(event) => setBy(event.target.value as typeof by)}
          >
            <option value="amendment">An amendment to the text</option>
            <option value="shorter_term">A shorter term (earlier review)</option>
            <option value="measure">A measure to check at review</option>
          </SelectField>
          {by === "amendment" &&
            (later.length === 0 ? (
              <p className="muted">Amend the text first; then choose the version that integrates it.</p>
            ) : (
              <SelectField label="Version" name="version" defaultValue={later.at(-1)?.number}>
                {later.map((v) => (
                  <option key={v.number} value={v.number}>
                    Version {v.number}
                  </option>
                ))}
              </SelectField>
            ))}
          {by === "shorter_term" && (
            <TextField
              label="Review after (months)"
              name="reviewMonths"
              type="number"
              min={1}
              max={60}
              required
              defaultValue={Math.max(1, Math.floor(proposal.reviewMonths / 2))}
            />
          )}
          {by === "measure" && (
            <TextAreaField
              label="Measure"
              name="measure"
              required
              rows={2}
              maxLength={2000}
              hint="What will be watched, so the concern is checked at review."
            />
          )}
          <div className="actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={resolve.isPending || (by === "amendment" && later.length === 0)}
            >
              Mark integrated
            </button>
            <button type="button" className="button button-secondary" onClick={() => setMode(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode === "overrule" && (
        <form className="form" onSubmit={overrule} aria-label="Overrule the objection">
          <p className="field-hint">
            Only when the circle consents that the objection is not paramount. Record who consented and how.
          </p>
          <fieldset className="choice-group">
            <legend>Who consented</legend>
            <div className="checkbox-grid">
              {(proposal.round?.participants ?? []).map((memberId) => (
                <label key={memberId} className="choice">
                  <input type="checkbox" name="consentedBy" value={memberId} />
                  <span>{nameOf(memberId)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <TextAreaField
            label="Record of the circle's consent"
            name="record"
            required
            rows={2}
            maxLength={2000}
          />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={resolve.isPending}>
              Overrule
            </button>
            <button type="button" className="button button-secondary" onClick={() => setMode(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** Every objection raised, with its status and how it was resolved; each is a record that stays. */
export function Objections({
  slug,
  proposal,
  nameOf,
}: {
  slug: string;
  proposal: Proposal;
  nameOf: (id: string) => string;
}) {
  if (proposal.objections.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="objections-title">
      <h2 id="objections-title">
        Objections <span className="muted">({proposal.openObjections} open)</span>
      </h2>
      <ul className="objections">
        {proposal.objections.map((objection) => (
          <li key={objection.id} className={`objection objection-${objection.status}`}>
            <div className="objection-head">
              <strong>{nameOf(objection.memberId)}</strong>
              <span className={`badge objection-status-${objection.status}`}>
                {STATUS_WORDS[objection.status]}
              </span>
              <span className="muted">
                round {objection.round}, version {objection.version} · {formatDateTime(objection.raisedAt)}
              </span>
            </div>
            <p className="objection-reason">{objection.reason}</p>
            {objection.suggestedAmendment && (
              <p className="objection-suggestion">
                <span className="muted">Suggested amendment: </span>
                {objection.suggestedAmendment}
              </p>
            )}
            {objection.resolution && <p className="muted">{resolutionWords(objection, nameOf)}</p>}
            {(objection.can.integrate || objection.can.overrule || objection.can.withdraw) && (
              <ResolveForms slug={slug} proposal={proposal} objection={objection} nameOf={nameOf} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
