import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import type { CircleKind, Org } from "../../api.js";
import { createCircle, type NewCircle } from "../../api-people.js";
import { circleKindLabel } from "../../format.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { useMemberNames } from "../OrgFrame.js";
import { circlePath } from "../People.js";
import { ErrorMessage } from "../Status.js";
import { FormActions, OpenableForm } from "./OpenableForm.js";

function NewCircleFields({
  org,
  parent,
  onCancel,
}: {
  org: Org;
  parent: { id: string; name: string } | null;
  onCancel: () => void;
}) {
  const { members } = useMemberNames(org.slug);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (input: NewCircle) => createCircle(org.slug, input),
    onSuccess: async (circle) => {
      await queryClient.invalidateQueries({ queryKey: ["org", org.slug] });
      navigate(circlePath(org.slug, circle.id));
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name")).trim(),
      kind: String(form.get("kind")) as CircleKind,
      parentId: parent?.id ?? null,
      aim: String(form.get("aim")).trim(),
      domain: String(form.get("domain")).trim(),
      memberIds: form.getAll("memberIds").map(String),
    });
  };
  // Observers read; they do not take part in circles.
  const candidates = members
    .filter((m) => m.access !== "observer")
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <form
      className="form"
      onSubmit={submit}
      aria-label={parent ? `New circle inside ${parent.name}` : "New circle"}
    >
      {create.isError && <ErrorMessage error={create.error} title="The circle was not created" />}
      <TextField label="Name" name="name" required maxLength={120} />
      <SelectField label="Kind" name="kind" defaultValue="circle">
        {Object.entries(circleKindLabel).map(([kind, label]) => (
          <option key={kind} value={kind}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Aim"
        name="aim"
        rows={2}
        maxLength={4000}
        hint="What the circle is there to achieve."
      />
      <TextAreaField
        label="Domain"
        name="domain"
        rows={2}
        maxLength={4000}
        hint="What the circle decides about on its own."
      />
      <fieldset className="choice-group">
        <legend>Members</legend>
        <div className="checkbox-grid">
          {candidates.map((member) => (
            <label key={member.id} className="choice">
              <input
                type="checkbox"
                name="memberIds"
                value={member.id}
                defaultChecked={member.id === org.me.memberId}
              />
              <span>{member.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <p className="field-hint">
        A Facilitator role comes with every circle; fill it from the circle's page.
      </p>
      <FormActions submit="Create circle" busy={create.isPending} busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}

/** "New circle" at the top level, or inside `parent` on a circle's page. */
export function NewCircleForm({
  org,
  parent = null,
}: {
  org: Org;
  parent?: { id: string; name: string } | null;
}) {
  const title = parent ? `New circle inside ${parent.name}` : "New circle";
  return (
    <OpenableForm label={parent ? "New circle inside" : "New circle"} title={title}>
      {(close) => <NewCircleFields org={org} parent={parent} onCancel={close} />}
    </OpenableForm>
  );
}
