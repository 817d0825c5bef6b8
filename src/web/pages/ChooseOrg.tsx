import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { createOrg } from "../api.js";
import { TextAreaField, TextField } from "../components/Field.js";
import { ErrorMessage, usePageTitle } from "../components/Status.js";
import { accessLabel } from "../format.js";
import { orgQuery, sessionQuery } from "../queries.js";

function CreateOrgForm() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: createOrg,
    onSuccess: async (org) => {
      queryClient.setQueryData(orgQuery(org.slug).queryKey, org);
      await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
      navigate(`/orgs/${org.slug}`);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const purpose = String(form.get("purpose")).trim();
    create.mutate({ name: String(form.get("name")).trim(), ...(purpose ? { purpose } : {}) });
  };
  return (
    <section className="card" aria-labelledby="create-org-title">
      <h2 id="create-org-title">Create an organisation</h2>
      <p className="muted">You become its first admin, and can invite the others afterwards.</p>
      <form onSubmit={submit} className="form">
        {create.isError && <ErrorMessage error={create.error} />}
        <TextField label="Name" name="name" required maxLength={120} autoComplete="organization" />
        <TextAreaField
          label="Purpose"
          name="purpose"
          rows={3}
          maxLength={4000}
          hint="Why the organisation exists: the shared aim every circle serves. You can change it later."
        />
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create organisation"}
        </button>
      </form>
    </section>
  );
}

export function ChooseOrgPage() {
  usePageTitle("Your organisations");
  const { data: session } = useQuery(sessionQuery);
  const memberships = session?.orgs ?? [];
  return (
    <div className="page page-narrow">
      <h1>Your organisations</h1>
      {memberships.length === 0 ? (
        <p className="lead">
          You are not in any organisation yet. Create one below, or ask an admin of yours for an invitation.
        </p>
      ) : (
        <ul className="org-list" aria-label="Organisations you belong to">
          {memberships.map((membership) => (
            <li key={membership.id}>
              <Link to={`/orgs/${membership.slug}`} className="org-link">
                <span className="org-link-name">{membership.name}</span>
                <span className="badge">{accessLabel[membership.access]}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <CreateOrgForm />
    </div>
  );
}
