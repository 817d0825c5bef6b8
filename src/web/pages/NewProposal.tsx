import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { createProposal, type MethodKind, type NewProposal } from "../api.js";
import { SelectField, TextAreaField, TextField } from "../components/Field.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { methodLabel } from "../proposals.js";
import { circlesQuery, proposalQuery } from "../queries.js";

const METHOD_HINTS: Record<MethodKind, string> = {
  consent: "Decided when no one has a reasoned objection. The usual way.",
  consensus: "Everyone agrees or stands aside; any block stops it.",
  advice: "You decide yourself after hearing the advisers you name.",
  vote: "Only where the circle has consented to vote on this class of decisions.",
};

function methodOf(form: FormData, kind: MethodKind): NewProposal["method"] {
  switch (kind) {
    case "advice":
      return { kind, advisers: form.getAll("advisers").map(String) };
    case "vote":
      return { kind, decisionClass: String(form.get("decisionClass")).trim() };
    default:
      return { kind };
  }
}

export function NewProposalPage() {
  const org = useOrg();
  usePageTitle(`New proposal · ${org.name}`);
  const circles = useQuery(circlesQuery(org.slug));
  const { members } = useMemberNames(org.slug);
  const [method, setMethod] = useState<MethodKind>("consent");
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (input: NewProposal) => createProposal(org.slug, input),
    onSuccess: (proposal) => {
      queryClient.setQueryData(proposalQuery(org.slug, proposal.id).queryKey, proposal);
      navigate(`/orgs/${org.slug}/proposals/${proposal.id}`);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reviewMonths = Number(form.get("reviewMonths"));
    create.mutate({
      circleId: String(form.get("circleId")),
      title: String(form.get("title")).trim(),
      text: String(form.get("text")).trim(),
      method: methodOf(form, method),
      ...(reviewMonths > 0 ? { reviewMonths } : {}),
    });
  };
  if (circles.isPending)
    return (
      <div className="page page-narrow">
        <Loading label="Loading circles…" />
      </div>
    );
  if (circles.isError)
    return (
      <div className="page page-narrow">
        <ErrorMessage error={circles.error} onRetry={() => circles.refetch()} />
      </div>
    );
  return (
    <div className="page page-narrow">
      <p className="breadcrumb">
        <Link to={`/orgs/${org.slug}/proposals`}>Proposals</Link>
      </p>
      <h1>New proposal</h1>
      <p className="lead">
        A draft is yours until you present it. The circle then asks questions, reacts, and decides.
      </p>
      <form className="form card" onSubmit={submit}>
        {create.isError && <ErrorMessage error={create.error} title="The proposal was not saved" />}
        <SelectField
          label="Circle"
          name="circleId"
          required
          defaultValue={params.get("circle") ?? ""}
          hint="The circle whose domain this is. Its members decide."
        >
          <option value="" disabled>
            Choose a circle
          </option>
          {circles.data
            .filter((circle) => circle.can.propose)
            .map((circle) => (
              <option key={circle.id} value={circle.id}>
                {circle.name}
              </option>
            ))}
        </SelectField>
        <TextField label="Title" name="title" required maxLength={200} />
        <TextAreaField
          label="Proposal"
          name="text"
          required
          rows={8}
          maxLength={50_000}
          hint="What you propose, in plain words. Each line is compared when the text is amended."
        />
        <fieldset className="choice-group">
          <legend>How the circle decides</legend>
          {(Object.keys(methodLabel) as MethodKind[]).map((kind) => (
            <label key={kind} className="choice">
              <input
                type="radio"
                name="method"
                value={kind}
                checked={method === kind}
                onChange={() => setMethod(kind)}
              />
              <span>
                <strong>{methodLabel[kind]}</strong>
                <span className="choice-hint">{METHOD_HINTS[kind]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {method === "advice" && (
          <fieldset className="choice-group">
            <legend>Advisers to ask</legend>
            <div className="checkbox-grid">
              {members
                .filter((member) => member.id !== org.me.memberId)
                .map((member) => (
                  <label key={member.id} className="choice">
                    <input type="checkbox" name="advisers" value={member.id} />
                    <span>{member.name}</span>
                  </label>
                ))}
            </div>
          </fieldset>
        )}
        {method === "vote" && (
          <TextField
            label="Class of decisions"
            name="decisionClass"
            required
            maxLength={120}
            hint="As the circle named it when it consented to vote, e.g. Budget lines under 500."
          />
        )}
        <TextField
          label="Review after (months)"
          name="reviewMonths"
          type="number"
          min={1}
          max={60}
          inputMode="numeric"
          hint="When adopted, the decision comes up for review after this long. Leave empty for the usual term."
        />
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Saving…" : "Save draft"}
        </button>
      </form>
    </div>
  );
}
