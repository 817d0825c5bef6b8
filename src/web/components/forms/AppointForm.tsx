import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Org } from "../../api.js";
import { appointToRole, type RoleDetail } from "../../api-people.js";
import { plural } from "../../format.js";
import { circleQuery } from "../../queries-people.js";
import { SelectField, TextField } from "../Field.js";
import { ErrorMessage, Loading } from "../Status.js";
import { FormActions, OpenableForm } from "./OpenableForm.js";

/** A date field's day, read as the start of that day where the person is. */
const startOfDay = (day: string) => new Date(`${day}T00:00`).toISOString();

function AppointFields({ org, role, onDone }: { org: Org; role: RoleDetail; onDone: () => void }) {
  const circle = useQuery(circleQuery(org.slug, role.circleId));
  const [memberId, setMemberId] = useState("");
  const [endsOn, setEndsOn] = useState("");
  const queryClient = useQueryClient();
  const appoint = useMutation({
    mutationFn: () =>
      appointToRole(org.slug, role.id, { memberId, ...(endsOn ? { endsAt: startOfDay(endsOn) } : {}) }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["org", org.slug] });
      onDone();
    },
  });
  if (circle.isPending) return <Loading label="Loading the circle's members…" />;
  if (circle.isError)
    return (
      <ErrorMessage
        error={circle.error}
        title="The circle's members could not be loaded"
        onRetry={() => circle.refetch()}
      />
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    appoint.mutate();
  };
  const members = [...circle.data.members].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <form className="form" onSubmit={submit} aria-label={`Appoint to ${role.name}`}>
      {appoint.isError && <ErrorMessage error={appoint.error} title="The appointment was not recorded" />}
      <SelectField label="Member" value={memberId} onChange={(e) => setMemberId(e.target.value)} required>
        <option value="" disabled>
          Choose a member of {role.circleName}
        </option>
        {members.map((member) => (
          <option key={member.memberId} value={member.memberId}>
            {member.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Ends on (optional)"
        type="date"
        value={endsOn}
        onChange={(e) => setEndsOn(e.target.value)}
        hint={
          role.termDays === null
            ? "Leave empty for no set end."
            : `Leave empty for the role's term of ${plural(role.termDays, "day")}.`
        }
      />
      <FormActions submit="Appoint" busy={appoint.isPending} busyLabel="Appointing…" onCancel={onDone} />
    </form>
  );
}

export function AppointForm({ org, role }: { org: Org; role: RoleDetail }) {
  return (
    <OpenableForm label="Appoint" title={`Appoint to ${role.name}`}>
      {(close) => <AppointFields org={org} role={role} onDone={close} />}
    </OpenableForm>
  );
}
