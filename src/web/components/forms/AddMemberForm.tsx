import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Org } from "../../api.js";
import { addCircleMember, type CircleDetail } from "../../api-people.js";
import { SelectField } from "../Field.js";
import { useMemberNames } from "../OrgFrame.js";
import { ErrorMessage } from "../Status.js";
import { FormActions, OpenableForm } from "./OpenableForm.js";

function AddMemberFields({ org, circle, onDone }: { org: Org; circle: CircleDetail; onDone: () => void }) {
  const { members } = useMemberNames(org.slug);
  const [memberId, setMemberId] = useState("");
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () => addCircleMember(org.slug, circle.id, memberId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["org", org.slug] });
      onDone();
    },
  });
  const inCircle = new Set(circle.members.map((m) => m.memberId));
  const outside = members
    .filter((m) => m.access !== "observer" && !inCircle.has(m.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (outside.length === 0)
    return (
      <>
        <p className="muted">Every member of the organisation is already in {circle.name}.</p>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Close
        </button>
      </>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="form" onSubmit={submit} aria-label={`Add a member to ${circle.name}`}>
      {add.isError && <ErrorMessage error={add.error} title="The member was not added" />}
      <SelectField label="Member" value={memberId} onChange={(e) => setMemberId(e.target.value)} required>
        <option value="" disabled>
          Choose a person
        </option>
        {outside.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
      </SelectField>
      <FormActions submit="Add to the circle" busy={add.isPending} busyLabel="Adding…" onCancel={onDone} />
    </form>
  );
}

export function AddMemberForm({ org, circle }: { org: Org; circle: CircleDetail }) {
  return (
    <OpenableForm label="Add member" title={`Add a member to ${circle.name}`}>
      {(close) => <AddMemberFields org={org} circle={circle} onDone={close} />}
    </OpenableForm>
  );
}
