import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { type Election, startElection } from "../api-lifecycle.js";
import { ElectionStateBadge, useRoleNames } from "../components/election/ElectionBits.js";
import { SelectField } from "../components/Field.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDate } from "../format.js";
import { circlesQuery } from "../queries.js";
import { electionQuery, electionsQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

/** What the election waits for from the viewer, if anything. */
function awaitedFromMe(election: Election, me: string): string | null {
  if (election.can.nominate && election.state === "nominating")
    return election.nominations.some((n) => n.nominatorId === me) ? null : "Your nomination is awaited";
  if (election.can.respond && election.round?.myResponse === null) return "Your response is awaited";
  return null;
}

function ElectionRow({ election }: { election: Election }) {
  const org = useOrg();
  const { nameOf } = useMemberNames(org.slug);
  const found = useRoleNames(org.slug)(election.roleId);
  const awaited = awaitedFromMe(election, org.me.memberId);
  return (
    <li className="proposal-row">
      <div className="proposal-row-head">
        <Link to={`/orgs/${org.slug}/elections/${election.id}`} className="proposal-row-title">
          {found?.role.name ?? "A role"}
        </Link>
        <ElectionStateBadge state={election.state} />
      </div>
      <p className="muted proposal-row-meta">
        {found?.circle.name ?? "A circle"} · since {formatDate(election.phase.enteredAt)}
        {election.outcome && ` · ${nameOf(election.outcome.memberId)} elected`}
        {election.proposal && !election.outcome && ` · ${nameOf(election.proposal.nomineeId)} proposed`}
      </p>
      {awaited && <p className="needs-you">{awaited}</p>}
    </li>
  );
}

/** Start an election for a role its circle fills by election; the server says whether the viewer may. */
function StartElection({ slug }: { slug: string }) {
  const circles = useQuery(circlesQuery(slug));
  const [roleId, setRoleId] = useState("");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const start = useMutation({
    mutationFn: () => startElection(slug, { roleId }),
    onSuccess: (election) => {
      queryClient.setQueryData(electionQuery(slug, election.id).queryKey, election);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "elections"] });
      navigate(`/orgs/${slug}/elections/${election.id}`);
    },
  });
  const roles = (circles.data ?? []).flatMap((circle) =>
    circle.roles.filter((role) => role.fillingPolicy === "election").map((role) => ({ role, circle })),
  );
  if (roles.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <form className="panel start-form" onSubmit={submit} aria-label="Start an election">
      {start.isError && <ErrorMessage error={start.error} title="The election was not started" />}
      <SelectField
        label="Start an election for"
        value={roleId}
        onChange={(event) => setRoleId(event.target.value)}
        required
        hint="Members of the role's circle start it; its facilitator takes it step by step."
      >
        <option value="" disabled>
          Choose a role
        </option>
        {roles.map(({ role, circle }) => (
          <option key={role.id} value={role.id}>
            {role.name} · {circle.name}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button button-primary" disabled={!roleId || start.isPending}>
        Start the election
      </button>
    </form>
  );
}

const isOpen = (election: Election) => election.state !== "elected" && election.state !== "cancelled";

export function ElectionsPage() {
  const org = useOrg();
  usePageTitle(`Elections · ${org.name}`);
  const elections = useQuery(electionsQuery(org.slug));
  const list = elections.data?.elections ?? [];
  const open = list.filter(isOpen);
  const closed = list.filter((e) => !isOpen(e));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Elections</h1>
      </div>
      <p className="lead">
        Roles filled by sociocratic selection: nominations with reasons, hidden until the reveal, then a
        consent round on the nominee.
      </p>
      {org.me.access !== "observer" && <StartElection slug={org.slug} />}
      {elections.isPending && <Loading label="Loading elections…" />}
      {elections.isError && (
        <ErrorMessage
          error={elections.error}
          title="The elections could not be loaded"
          onRetry={() => elections.refetch()}
        />
      )}
      {elections.data && (
        <>
          <section className="section" aria-labelledby="open-elections">
            <h2 id="open-elections">Under way</h2>
            {open.length === 0 ? (
              <p className="empty">No election is under way.</p>
            ) : (
              <ul className="proposal-list" aria-labelledby="open-elections">
                {open.map((election) => (
                  <ElectionRow key={election.id} election={election} />
                ))}
              </ul>
            )}
          </section>
          {closed.length > 0 && (
            <section className="section" aria-labelledby="closed-elections">
              <h2 id="closed-elections">Closed</h2>
              <ul className="proposal-list" aria-labelledby="closed-elections">
                {closed.map((election) => (
                  <ElectionRow key={election.id} election={election} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
