import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import type { FillingPolicy, Org } from "../../api.js";
import { type CircleDetail, createRole, type NewRole } from "../../api-people.js";
import { fillingPolicyLabel } from "../../format.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { rolePath } from "../People.js";
import { ErrorMessage } from "../Status.js";
import { LeadershipChoice } from "./LeadershipChoice.js";
import { FormActions, nonEmptyLines, OpenableForm } from "./OpenableForm.js";

function NewRoleFields({ org, circle, onCancel }: { org: Org; circle: CircleDetail; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (input: NewRole) => createRole(org.slug, input),
    onSuccess: async (role) => {
      await queryClient.invalidateQueries({ queryKey: ["org", org.slug, "circles"] });
      navigate(rolePath(org.slug, role.id));
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const termDays = String(form.get("termDays")).trim();
    create.mutate({
      circleId: circle.id,
      name: String(form.get("name")).trim(),
      purpose: String(form.get("purpose")).trim(),
      domain: String(form.get("domain")).trim(),
      accountabilities: nonEmptyLines(String(form.get("accountabilities"))),
      fillingPolicy: String(form.get("fillingPolicy")) as FillingPolicy,
      termDays: termDays === "" ? null : Number(termDays),
      leadership: form.get("leadership") === "on",
    });
  };
  return (
    <form className="form" onSubmit={submit} aria-label={`New role in ${circle.name}`}>
      {create.isError && <ErrorMessage error={create.error} title="The role was not created" />}
      <TextField label="Role name" name="name" required maxLength={120} />
      <TextAreaField label="Purpose" name="purpose" rows={2} maxLength={4000} hint="Why the role exists." />
      <TextAreaField
        label="Role domain"
        name="domain"
        rows={2}
        maxLength={4000}
        hint="What it alone decides about."
      />
      <TextAreaField
        label="Accountabilities"
        name="accountabilities"
        rows={3}
        hint="What the circle can count on the role for, one a line."
      />
      <SelectField label="How it is filled" name="fillingPolicy" defaultValue="appointment">
        {Object.entries(fillingPolicyLabel).map(([policy, label]) => (
          <option key={policy} value={policy}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Term in days"
        name="termDays"
        type="number"
        min={1}
        max={3650}
        hint="Leave empty for no set term (an elected or rotating role needs one)."
      />
      <LeadershipChoice />
      <FormActions submit="Create role" busy={create.isPending} busyLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}

export function NewRoleForm({ org, circle }: { org: Org; circle: CircleDetail }) {
  return (
    <OpenableForm label="New role" title={`New role in ${circle.name}`}>
      {(close) => <NewRoleFields org={org} circle={circle} onCancel={close} />}
    </OpenableForm>
  );
}
