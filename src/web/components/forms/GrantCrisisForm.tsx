import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router-dom";
import type { Circle, Org } from "../../api.js";
import { type CrisisGrant, grantCrisis } from "../../api-lifecycle.js";
import type { CircleDetail } from "../../api-people.js";
import { proposalsQuery } from "../../queries.js";
import { circleQuery } from "../../queries-people.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { ErrorMessage, Loading } from "../Status.js";
import { FormActions, OpenableForm } from "./OpenableForm.js";

type GrantBy = "consent" | "expedited";

/** Current (not shadowing) holders of the circle's leadership roles other than me: who can co-grant with me. */
function coGranters(circle: CircleDetail, me: string) {
  const holders = circle.roles
    .filter((role) => role.leadership)
    .flatMap((role) => role.holders.filter((h) => !h.shadow && h.memberId !== me));
  return [...new Map(holders.map((h) => [h.memberId, h])).values()];
}

function GrantFields({ org, circle, onCancel }: { org: Org; circle: CircleDetail; onCancel: () => void }) {
  const [by, setBy] = useState<GrantBy>("consent");
  const adopted = useQuery(proposalsQuery(org.slug, { states: ["adopted"], circleId: circle.id }));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const grant = useMutation({
    mutationFn: (input: CrisisGrant) => grantCrisis(org.slug, input),
    onSuccess: async (crisis) => {
      await queryClient.invalidateQueries({ queryKey: ["org", org.slug] });
      navigate(`/orgs/${org.slug}/crises/${crisis.id}`);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const endsAt = String(form.get("endsAt"));
    grant.mutate({
      circleId: circle.id,
      holderId: String(form.get("holderId")),
      scope: String(form.get("scope")).trim(),
      endsAt: endsAt ? new Date(endsAt).toISOString() : "",
      grant:
        by === "consent"
          ? { by, proposalId: String(form.get("proposalId")) }
          : { by, grantedBy: [org.me.memberId, String(form.get("coGranter"))] },
    });
  };
  const members = [...circle.members].sort((a, b) => a.name.localeCompare(b.name));
  const others = coGranters(circle, org.me.memberId);
  return (
    <form className="form" onSubmit={submit} aria-label={`Grant crisis authority in ${circle.name}`}>
      {grant.isError && <ErrorMessage error={grant.error} title="Crisis authority was not granted" />}
      <SelectField label="Held by" name="holderId" required defaultValue="">
        <option value="" disabled>
          Choose a member of {circle.name}
        </option>
        {members.map((member) => (
          <option key={member.memberId} value={member.memberId}>
            {member.name}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Scope"
        name="scope"
        required
        rows={3}
        maxLength={10_000}
        hint="What the holder may decide alone, and nothing beyond it."
      />
      <TextField label="Ends at" name="endsAt" type="datetime-local" required />
      <fieldset className="choice-group">
        <legend>Granted by</legend>
        <label className="choice">
          <input type="radio" name="by" checked={by === "consent"} onChange={() => setBy("consent")} />
          <span>
            <strong>The circle's consent</strong>
            <span className="choice-hint">An adopted proposal of {circle.name} grants it.</span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="by" checked={by === "expedited"} onChange={() => setBy("expedited")} />
          <span>
            <strong>Expedited</strong>
            <span className="choice-hint">
              You and another leadership holder grant it now; the circle ratifies it soon after or it lapses.
            </span>
          </span>
        </label>
      </fieldset>
      {by === "consent" &&
        (adopted.isPending ? (
          <Loading label="Loading the circle's decisions…" />
        ) : adopted.isError ? (
          <ErrorMessage error={adopted.error} title="The circle's decisions could not be loaded" />
        ) : (
          <SelectField label="Adopted proposal" name="proposalId" required defaultValue="">
            <option value="" disabled>
              {adopted.data.proposals.length === 0
                ? "No adopted proposal in this circle"
                : "Choose the decision"}
            </option>
            {adopted.data.proposals.map((proposal) => (
              <option key={proposal.id} value={proposal.id}>
                {proposal.title}
              </option>
            ))}
          </SelectField>
        ))}
      {by === "expedited" && (
        <SelectField label="Co-granting leadership holder" name="coGranter" required defaultValue="">
          <option value="" disabled>
            {others.length === 0
              ? "No other leadership holder in this circle"
              : "Choose who grants it with you"}
          </option>
          {others.map((holder) => (
            <option key={holder.memberId} value={holder.memberId}>
              {holder.name}
            </option>
          ))}
        </SelectField>
      )}
      <FormActions
        submit="Grant crisis authority"
        busy={grant.isPending}
        busyLabel="Granting…"
        onCancel={onCancel}
      />
    </form>
  );
}

function ChooseCircle({ org, circles, onCancel }: { org: Org; circles: Circle[]; onCancel: () => void }) {
  const [circleId, setCircleId] = useState(circles.length === 1 ? (circles[0]?.id ?? "") : "");
  const circle = useQuery({ ...circleQuery(org.slug, circleId), enabled: circleId !== "" });
  return (
    <>
      <SelectField label="Circle" value={circleId} onChange={(e) => setCircleId(e.target.value)} required>
        <option value="" disabled>
          Choose one of your circles
        </option>
        {circles.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      {circleId && circle.isPending && <Loading label="Loading the circle…" />}
      {circle.isError && <ErrorMessage error={circle.error} title="The circle could not be loaded" />}
      {circle.data && <GrantFields key={circle.data.id} org={org} circle={circle.data} onCancel={onCancel} />}
      {!circleId && (
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </>
  );
}

/** Crisis authority is the circle's to grant: the form offers the circles the viewer takes part in. */
export function GrantCrisisForm({ org, circles }: { org: Org; circles: Circle[] }) {
  return (
    <OpenableForm label="Grant crisis authority" title="Grant crisis authority">
      {(close) => <ChooseCircle org={org} circles={circles} onCancel={close} />}
    </OpenableForm>
  );
}
