import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Proposal, type RecordedResponse, type ResponseInput, type Round, respond } from "../../api.js";
import { formatDateTime } from "../../format.js";
import { responseLabel, roundLabel } from "../../proposals.js";
import { TextAreaField } from "../Field.js";
import { TallyView } from "../ProposalBits.js";
import { ErrorMessage } from "../Status.js";

type Choice = ResponseInput["kind"] | "yes" | "no" | "abstain";

const CHOICES: Record<Round["method"], { value: Choice; label: string; hint: string }[]> = {
  consent: [
    { value: "consent", label: "Consent", hint: "I can live with it and see no harm to our aim." },
    {
      value: "consent_with_concern",
      label: "Consent with concern",
      hint: "I consent, and name a concern to check at review.",
    },
    { value: "object", label: "Object", hint: "It would harm the circle's aim; I say how." },
  ],
  consensus: [
    { value: "agree", label: "Agree", hint: "I support it." },
    { value: "stand_aside", label: "Stand aside", hint: "I will not stop it, and do not join it." },
    { value: "block", label: "Block", hint: "I cannot let it pass; I say why." },
  ],
  vote: [
    { value: "yes", label: "Yes", hint: "" },
    { value: "no", label: "No", hint: "" },
    { value: "abstain", label: "Abstain", hint: "" },
  ],
};

function toResponse(choice: Choice, form: FormData): ResponseInput {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  switch (choice) {
    case "consent_with_concern":
      return { kind: choice, concern: text("concern") };
    case "object":
      return { kind: choice, reason: text("reason"), suggestedAmendment: text("amendment") || null };
    case "stand_aside":
      return { kind: choice, reason: text("reason") || null };
    case "block":
      return { kind: choice, reason: text("reason") };
    case "yes":
    case "no":
    case "abstain":
      return { kind: "vote", choice };
    default:
      return { kind: choice } as ResponseInput;
  }
}

/** The viewer's response in the running round; the reason a choice needs is asked for with it. */
function RespondForm({ slug, proposal, round }: { slug: string; proposal: Proposal; round: Round }) {
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<Choice | null>(null);
  const send = useMutation({
    mutationFn: (response: ResponseInput) => respond(slug, proposal.id, response),
    onSuccess: () => {
      setChoice(null);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "proposal", proposal.id], exact: true });
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "attention"] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (choice) send.mutate(toResponse(choice, new FormData(event.currentTarget)));
  };
  return (
    <form className="form respond" onSubmit={submit}>
      {send.isError && <ErrorMessage error={send.error} title="Your response was not recorded" />}
      <fieldset className="choice-group">
        <legend>{round.myResponse ? "Change your response" : "Your response"}</legend>
        {CHOICES[round.method].map((option) => (
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
              {option.hint && <span className="choice-hint">{option.hint}</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {choice === "consent_with_concern" && (
        <TextAreaField label="Your concern" name="concern" required rows={3} maxLength={2000} />
      )}
      {choice === "object" && (
        <>
          <TextAreaField
            label="Your objection"
            name="reason"
            required
            rows={3}
            maxLength={4000}
            hint="How the proposal would harm the circle's aim."
          />
          <TextAreaField
            label="Suggested amendment (optional)"
            name="amendment"
            rows={3}
            maxLength={50_000}
          />
        </>
      )}
      {(choice === "block" || choice === "stand_aside") && (
        <TextAreaField
          label={choice === "block" ? "Why you block" : "Why you stand aside (optional)"}
          name="reason"
          required={choice === "block"}
          rows={3}
          maxLength={4000}
        />
      )}
      <button type="submit" className="button button-primary" disabled={!choice || send.isPending}>
        {send.isPending ? "Sending…" : "Send response"}
      </button>
    </form>
  );
}

const objecting = (response: RecordedResponse) => response.kind === "object" || response.kind === "block";

/** The round: who has responded and who is still awaited (silence is never consent), the tally, the deadline. */
export function RoundPanel({
  slug,
  proposal,
  round,
  nameOf,
}: {
  slug: string;
  proposal: Proposal;
  round: Round;
  nameOf: (id: string) => string;
}) {
  const current = new Map(round.responses.filter((r) => r.current).map((r) => [r.memberId, r]));
  const running = round.closedAt === null;
  const participants = [...round.participants].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  return (
    <section className="panel round" aria-labelledby="round-title">
      <h2 id="round-title">
        {roundLabel[proposal.method.kind]} {round.number > 1 ? round.number : ""}
        {!running && <span className="muted"> (closed)</span>}
      </h2>
      <p className="muted">
        On version {round.version} · opened {formatDateTime(round.openedAt)}
        {round.deadline
          ? ` · deadline ${formatDateTime(round.deadline)}`
          : " · no deadline: closes when everyone has responded"}
        {round.closedAt && ` · closed ${formatDateTime(round.closedAt)}`}
      </p>
      <TallyView tally={round.tally} />
      <h3>Participants</h3>
      <ul className="participants" aria-label="Participants and their responses">
        {participants.map((memberId) => {
          const response = current.get(memberId);
          return (
            <li key={memberId} className={response ? "responded" : "waiting"}>
              <span className="participant-name">{nameOf(memberId)}</span>
              <span
                className={`badge ${response ? (objecting(response) ? "badge-warn" : "badge-done") : ""}`}
              >
                {response ? responseLabel(response) : running ? "Waiting" : "No response"}
              </span>
              {response?.kind === "consent_with_concern" && (
                <span className="participant-note">Concern: {response.concern}</span>
              )}
            </li>
          );
        })}
      </ul>
      {round.myResponse && (
        <p className="my-response">
          You responded: <strong>{responseLabel(round.myResponse)}</strong> (
          {formatDateTime(round.myResponse.at)})
        </p>
      )}
      {proposal.can.respond && <RespondForm slug={slug} proposal={proposal} round={round} />}
    </section>
  );
}
