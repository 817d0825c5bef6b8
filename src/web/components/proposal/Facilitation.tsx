import { type FormEvent, useState } from "react";
import { type AdvanceTarget, advanceProposal, amendProposal, type Proposal } from "../../api.js";
import { nextPhase, roundLabel } from "../../proposals.js";
import { ConfirmAction } from "../ConfirmAction.js";
import { TextAreaField, TextField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { deadlineFrom, useProposalAction } from "./actions.js";

/** The facilitator's controls (or the author's, where the circle has none), each shown only when `can` allows it. */
export function Facilitation({ slug, proposal }: { slug: string; proposal: Proposal }) {
  const { can } = proposal;
  const advance = useProposalAction(
    slug,
    proposal.id,
    (input: { to: AdvanceTarget; deadline?: string | null }) => advanceProposal(slug, proposal.id, input),
  );
  const next = nextPhase[proposal.state];
  const round = roundLabel[proposal.method.kind].toLowerCase();
  if (!can.present && !can.advance && !can.openConsentRound && !can.decide && !can.withdraw) return null;
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
      <div className="actions">
        {can.present && (
          <button
            type="button"
            className="button button-primary"
            disabled={advance.isPending}
            onClick={() => advance.mutate({ to: proposal.method.kind === "advice" ? "advice" : "presented" })}
          >
            {proposal.method.kind === "advice" ? "Ask the advisers" : "Present to the circle"}
          </button>
        )}
        {can.advance && next && (
          <button
            type="button"
            className="button button-primary"
            disabled={advance.isPending}
            onClick={() => advance.mutate({ to: next.to })}
          >
            {next.label}
          </button>
        )}
        {can.decide && (
          <button
            type="button"
            className="button button-primary"
            disabled={advance.isPending}
            onClick={() => advance.mutate({ to: "decided" })}
          >
            Close the {round}
          </button>
        )}
      </div>
      {can.openConsentRound && (
        <form className="form form-inline" onSubmit={openRound}>
          <TextField
            label="Deadline (optional)"
            name="deadline"
            type="datetime-local"
            hint="Without one, the round closes when everyone has responded."
          />
          <button type="submit" className="button button-primary" disabled={advance.isPending}>
            Open the {round}
          </button>
        </form>
      )}
      {can.withdraw && (
        <ConfirmAction
          opener="Withdraw…"
          question="Withdraw this proposal? It stays in the record, closed."
          confirm="Yes, withdraw it"
          pending={advance.isPending}
          onConfirm={() => advance.mutate({ to: "withdrawn" })}
        />
      )}
    </section>
  );
}

const AMEND_WORDS: Partial<Record<Proposal["state"], { title: string; button: string; hint: string }>> = {
  draft: {
    title: "Revise the draft",
    button: "Save revision",
    hint: "Change the text before presenting it.",
  },
  reactions: {
    title: "Friendly amendment",
    button: "Adopt friendly amendment",
    hint: "A change the reactions suggested, made before the round.",
  },
  integrating: {
    title: "Amend to integrate objections",
    button: "Save amendment",
    hint: "A new version that answers the objections. Then mark each objection integrated by it.",
  },
};

/** A new version of the text, when `can.amend` allows one. */
export function AmendForm({ slug, proposal }: { slug: string; proposal: Proposal }) {
  const amend = useProposalAction(slug, proposal.id, (text: string) =>
    amendProposal(slug, proposal.id, text),
  );
  const [open, setOpen] = useState(proposal.state === "integrating");
  const words = AMEND_WORDS[proposal.state] ?? AMEND_WORDS.integrating;
  if (!proposal.can.amend || !words) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("text")).trim();
    amend.mutate(text, { onSuccess: () => setOpen(false) });
  };
  if (!open)
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {words.title}…
      </button>
    );
  return (
    <form className="form amend" onSubmit={submit}>
      {amend.isError && <ErrorMessage error={amend.error} title="The amendment was not saved" />}
      <TextAreaField
        label={words.title}
        name="text"
        required
        rows={6}
        maxLength={50_000}
        defaultValue={proposal.currentVersion.text}
        hint={words.hint}
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={amend.isPending}>
          {amend.isPending ? "Saving…" : words.button}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
