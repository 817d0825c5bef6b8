import { type FormEvent, useState } from "react";
import {
  answerQuestion,
  askQuestion,
  decideAfterAdvice,
  giveAdvice,
  type Proposal,
  react,
} from "../../api.js";
import { formatDateTime } from "../../format.js";
import { TextAreaField } from "../Field.js";
import { ErrorMessage } from "../Status.js";
import { useProposalAction } from "./actions.js";

type NameOf = (id: string) => string;

/** A one-field form that clears itself once the text is saved. */
function TextForm({
  label,
  button,
  maxLength,
  hint,
  onSend,
  pending,
  error,
}: {
  label: string;
  button: string;
  maxLength: number;
  hint?: string;
  onSend: (text: string, done: () => void) => void;
  pending: boolean;
  error: unknown;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    onSend(String(new FormData(form).get("text")).trim(), () => form.reset());
  };
  return (
    <form className="form" onSubmit={submit}>
      {error != null && <ErrorMessage error={error} title="Not saved" />}
      <TextAreaField
        label={label}
        name="text"
        required
        rows={2}
        maxLength={maxLength}
        {...(hint ? { hint } : {})}
      />
      <button type="submit" className="button button-secondary" disabled={pending}>
        {pending ? "Sending…" : button}
      </button>
    </form>
  );
}

function AnswerForm({
  slug,
  proposal,
  questionId,
}: {
  slug: string;
  proposal: Proposal;
  questionId: string;
}) {
  const answer = useProposalAction(slug, proposal.id, (text: string) =>
    answerQuestion(slug, proposal.id, questionId, text),
  );
  return (
    <TextForm
      label="Your answer"
      button="Answer"
      maxLength={10_000}
      onSend={(text, done) => answer.mutate(text, { onSuccess: done })}
      pending={answer.isPending}
      error={answer.error}
    />
  );
}

/** Clarifying questions: anyone may ask to understand; the author answers. */
export function Questions({ slug, proposal, nameOf }: { slug: string; proposal: Proposal; nameOf: NameOf }) {
  const ask = useProposalAction(slug, proposal.id, (text: string) => askQuestion(slug, proposal.id, text));
  if (proposal.questions.length === 0 && !proposal.can.askQuestion) return null;
  return (
    <section className="panel" aria-labelledby="questions-title">
      <h2 id="questions-title">Clarifying questions</h2>
      {proposal.questions.length === 0 && <p className="muted">No questions yet.</p>}
      <ul className="thread">
        {proposal.questions.map((question) => (
          <li key={question.id}>
            <p>
              <strong>{nameOf(question.askedBy)}</strong> <span className="muted">asked</span> {question.text}
            </p>
            {question.answer ? (
              <p className="answer">
                <strong>{nameOf(question.answer.by)}</strong> <span className="muted">answered</span>{" "}
                {question.answer.text}
              </p>
            ) : proposal.can.answerQuestion ? (
              <AnswerForm slug={slug} proposal={proposal} questionId={question.id} />
            ) : (
              <p className="muted answer">Waiting for the author's answer.</p>
            )}
          </li>
        ))}
      </ul>
      {proposal.can.askQuestion && (
        <TextForm
          label="Ask a question"
          button="Ask"
          maxLength={4000}
          hint="To understand the proposal; opinions come in the reactions."
          onSend={(text, done) => ask.mutate(text, { onSuccess: done })}
          pending={ask.isPending}
          error={ask.error}
        />
      )}
    </section>
  );
}

/** Reactions: each member's short response to the proposal, before the round. */
export function Reactions({ slug, proposal, nameOf }: { slug: string; proposal: Proposal; nameOf: NameOf }) {
  const send = useProposalAction(slug, proposal.id, (text: string) => react(slug, proposal.id, text));
  if (proposal.reactions.length === 0 && !proposal.can.react) return null;
  return (
    <section className="panel" aria-labelledby="reactions-title">
      <h2 id="reactions-title">Reactions</h2>
      {proposal.reactions.length === 0 && <p className="muted">No reactions yet.</p>}
      <ul className="thread">
        {proposal.reactions.map((reaction) => (
          <li key={`${reaction.memberId}-${reaction.at}`}>
            <p>
              <strong>{nameOf(reaction.memberId)}</strong> {reaction.text}
            </p>
          </li>
        ))}
      </ul>
      {proposal.can.react && (
        <TextForm
          label="Your reaction"
          button="React"
          maxLength={4000}
          hint="A short reaction; a later one replaces your earlier one."
          onSend={(text, done) => send.mutate(text, { onSuccess: done })}
          pending={send.isPending}
          error={send.error}
        />
      )}
    </section>
  );
}

/** The advice process: the advisers' advice, and the proposer's decision once they are heard. */
export function AdvicePanel({
  slug,
  proposal,
  nameOf,
}: {
  slug: string;
  proposal: Proposal;
  nameOf: NameOf;
}) {
  const advise = useProposalAction(slug, proposal.id, (text: string) => giveAdvice(slug, proposal.id, text));
  const decide = useProposalAction(
    slug,
    proposal.id,
    (input: { outcome: "proceed" | "abandon"; rationale: string }) =>
      decideAfterAdvice(slug, proposal.id, input),
  );
  const [outcome, setOutcome] = useState<"proceed" | "abandon">("proceed");
  if (proposal.method.kind !== "advice") return null;
  const advisers = proposal.method.advisers;
  const heard = new Set(proposal.advice.map((a) => a.adviserId));
  const submitDecision = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    decide.mutate({ outcome, rationale: String(new FormData(event.currentTarget).get("rationale")).trim() });
  };
  return (
    <section className="panel" aria-labelledby="advice-title">
      <h2 id="advice-title">Advice</h2>
      <p className="muted">
        Advisers: {advisers.map((id) => `${nameOf(id)}${heard.has(id) ? " (heard)" : ""}`).join(", ")}
      </p>
      <ul className="thread">
        {proposal.advice.map((advice) => (
          <li key={`${advice.adviserId}-${advice.at}`}>
            <p>
              <strong>{nameOf(advice.adviserId)}</strong> <span className="muted">advised</span> {advice.text}{" "}
              <span className="muted">({formatDateTime(advice.at)})</span>
            </p>
          </li>
        ))}
      </ul>
      {proposal.can.giveAdvice && (
        <TextForm
          label="Your advice"
          button="Give advice"
          maxLength={10_000}
          onSend={(text, done) => advise.mutate(text, { onSuccess: done })}
          pending={advise.isPending}
          error={advise.error}
        />
      )}
      {proposal.can.decideAfterAdvice && (
        <form className="form" onSubmit={submitDecision}>
          {decide.isError && <ErrorMessage error={decide.error} title="The decision was not recorded" />}
          <fieldset className="choice-group">
            <legend>Your decision</legend>
            {(["proceed", "abandon"] as const).map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="outcome"
                  checked={outcome === value}
                  onChange={() => setOutcome(value)}
                />
                <span>{value === "proceed" ? "Go ahead" : "Abandon it"}</span>
              </label>
            ))}
          </fieldset>
          <TextAreaField
            label="Why, in the light of the advice"
            name="rationale"
            required
            rows={3}
            maxLength={10_000}
          />
          <button type="submit" className="button button-primary" disabled={decide.isPending}>
            Record the decision
          </button>
        </form>
      )}
    </section>
  );
}
