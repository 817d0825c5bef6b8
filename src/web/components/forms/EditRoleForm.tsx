import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { FillingPolicy, Org } from "../../api.js";
import { type RoleChange, type RoleDetail, updateRole } from "../../api-people.js";
import { fillingPolicyLabel } from "../../format.js";
import { roleQuery } from "../../queries-people.js";
import { SelectField, TextAreaField, TextField } from "../Field.js";
import { fromSkillRows, SkillRows, toSkillRows } from "../SkillRows.js";
import { ErrorMessage } from "../Status.js";
import { LeadershipChoice } from "./LeadershipChoice.js";
import { FormActions, nonEmptyLines, OpenableForm } from "./OpenableForm.js";

const ROTATION_MODE_CHOICES: Record<RoleDetail["rotationMode"], string> = {
  consent: "Propose the top candidate to the circle for consent",
  automatic: "Hand the role to the top candidate directly",
};

const optionalCount = (value: FormDataEntryValue | null) => {
  const text = String(value ?? "").trim();
  return text === "" ? null : Number(text);
};

/**
 * Only the fields that differ go out: the log then records what the person changed, and a field someone
 * else changed meanwhile is not put back.
 */
const changedFields = (role: RoleDetail, edited: Required<RoleChange>): RoleChange =>
  Object.fromEntries(
    Object.entries(edited).filter(
      ([field, value]) => JSON.stringify(value) !== JSON.stringify(role[field as keyof RoleChange]),
    ),
  );

function EditRoleFields({ org, role, onDone }: { org: Org; role: RoleDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [fillingPolicy, setFillingPolicy] = useState<FillingPolicy>(role.fillingPolicy);
  const [skills, setSkills] = useState(toSkillRows(role.requiredSkills));
  const update = useMutation({
    mutationFn: (change: RoleChange) => updateRole(org.slug, role.id, change),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: roleQuery(org.slug, role.id).queryKey });
      onDone();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const change = changedFields(role, {
      name: String(form.get("name")).trim(),
      purpose: String(form.get("purpose")).trim(),
      domain: String(form.get("domain")).trim(),
      accountabilities: nonEmptyLines(String(form.get("accountabilities"))),
      requiredSkills: fromSkillRows(skills),
      fillingPolicy,
      rotationMode:
        fillingPolicy === "rotation"
          ? (form.get("rotationMode") as RoleDetail["rotationMode"])
          : role.rotationMode,
      termDays: optionalCount(form.get("termDays")),
      maxConsecutiveTerms: optionalCount(form.get("maxConsecutiveTerms")),
      leadership: form.get("leadership") === "on",
    });
    if (Object.keys(change).length === 0) onDone();
    else update.mutate(change);
  };
  return (
    <form className="form" onSubmit={submit} aria-label={`Edit ${role.name}`}>
      {update.isError && <ErrorMessage error={update.error} title="The role was not changed" />}
      <TextField label="Role name" name="name" required maxLength={120} defaultValue={role.name} />
      <TextAreaField
        label="Purpose"
        name="purpose"
        rows={2}
        maxLength={4000}
        defaultValue={role.purpose}
        hint="Why the role exists."
      />
      <TextAreaField
        label="Role domain"
        name="domain"
        rows={2}
        maxLength={4000}
        defaultValue={role.domain}
        hint="What it alone decides about."
      />
      <TextAreaField
        label="Accountabilities"
        name="accountabilities"
        rows={3}
        defaultValue={role.accountabilities.join("\n")}
        hint="What the circle can count on the role for, one a line."
      />
      <SkillRows legend="Skills it asks for" rows={skills} maxLength={100} onChange={setSkills} />
      <SelectField
        label="How it is filled"
        name="fillingPolicy"
        value={fillingPolicy}
        onChange={(event) => setFillingPolicy(event.target.value as FillingPolicy)}
      >
        {Object.entries(fillingPolicyLabel).map(([policy, label]) => (
          <option key={policy} value={policy}>
            {label}
          </option>
        ))}
      </SelectField>
      {fillingPolicy === "rotation" && (
        <SelectField label="When the term ends" name="rotationMode" defaultValue={role.rotationMode}>
          {Object.entries(ROTATION_MODE_CHOICES).map(([mode, label]) => (
            <option key={mode} value={mode}>
              {label}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        label="Term in days"
        name="termDays"
        type="number"
        defaultValue={role.termDays ?? ""}
        hint="Leave empty for no set term (an elected or rotating role needs one)."
      />
      <TextField
        label="Most terms in a row"
        name="maxConsecutiveTerms"
        type="number"
        defaultValue={role.maxConsecutiveTerms ?? ""}
        hint="How many terms one person may hold it back to back. Leave empty for no limit."
      />
      <LeadershipChoice checked={role.leadership} />
      <FormActions submit="Save role" busy={update.isPending} busyLabel="Saving…" onCancel={onDone} />
    </form>
  );
}

/** Changing what a role is, for whoever the API says may (`role.can.update`). */
export function EditRoleForm({ org, role }: { org: Org; role: RoleDetail }) {
  return (
    <OpenableForm label="Edit role" title={`Edit ${role.name}`}>
      {(close) => <EditRoleFields org={org} role={role} onDone={close} />}
    </OpenableForm>
  );
}
