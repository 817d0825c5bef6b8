import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { Circle, Role } from "../api.js";
import { type Candidate, type Candidates, rotateRole } from "../api-lifecycle.js";
import { useOrg } from "../components/OrgFrame.js";
import { RotationNav, ScoreReasons } from "../components/RotationBits.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDate } from "../format.js";
import { circlesQuery } from "../queries.js";
import { candidatesQuery, termsDueQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

function CandidateItem({ candidate, top }: { candidate: Candidate; top: boolean }) {
  return (
    <li className={`candidate${top ? " candidate-top" : ""}`}>
      <p className="candidate-head">
        <span className="candidate-name">{candidate.name ?? "A member"}</span>
        {top && <span className="tag tag-leadership">top candidate</span>}
        <span className="candidate-score">score {candidate.score}</span>
      </p>
      <ScoreReasons parts={candidate.parts} />
    </li>
  );
}

function RotateAction({ slug, candidates }: { slug: string; candidates: Candidates }) {
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => rotateRole(slug, candidates.role.id),
    onSuccess: () => {
      for (const key of ["rotation", "circles", "proposals", "attention"])
        void queryClient.invalidateQueries({ queryKey: ["org", slug, key] });
    },
  });
  const { me } = useOrg();
  const top = candidates.ranked[0];
  // Observers never fill roles; for others the server says whether they take part in the circle.
  if (!top || me.access === "observer") return null;
  const automatic = candidates.role.rotationMode === "automatic";
  const outcome = rotate.data;
  return (
    <div className="rotate">
      {rotate.isError && <ErrorMessage error={rotate.error} title="The role was not rotated" />}
      {outcome?.mode === "consent" && (
        <p className="notice notice-info" role="status">
          Proposed to the circle for consent:{" "}
          <Link to={`/orgs/${slug}/proposals/${outcome.proposal.id}`}>{outcome.proposal.title}</Link>
        </p>
      )}
      {outcome?.mode === "automatic" && (
        <p className="notice notice-info" role="status">
          {outcome.candidate.name ?? "The top candidate"} now holds the role.
        </p>
      )}
      {!outcome && (
        <>
          <button
            type="button"
            className="button button-primary"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate()}
          >
            {automatic
              ? `Hand the role to ${top.name ?? "the top candidate"} now`
              : `Propose ${top.name ?? "the top candidate"} to the circle`}
          </button>
          <p className="field-hint">
            {automatic
              ? "This circle chose automatic rotation for the role: the top candidate takes it directly."
              : "The circle decides by consent: a proposal opens with these reasons."}
          </p>
        </>
      )}
    </div>
  );
}

function CandidatesPanel({ slug, roleId }: { slug: string; roleId: string }) {
  const candidates = useQuery(candidatesQuery(slug, roleId));
  if (candidates.isPending) return <Loading label="Ranking the candidates…" />;
  if (candidates.isError)
    return (
      <ErrorMessage
        error={candidates.error}
        title="The candidates could not be ranked"
        onRetry={() => candidates.refetch()}
      />
    );
  const { ranked, ineligible } = candidates.data;
  return (
    <div className="candidates">
      {ranked.length === 0 ? (
        <p className="empty">Nobody in the circle can take this role now.</p>
      ) : (
        <ol className="candidate-list" aria-label="Candidates, best first">
          {ranked.map((candidate, i) => (
            <CandidateItem key={candidate.memberId} candidate={candidate} top={i === 0} />
          ))}
        </ol>
      )}
      <RotateAction slug={slug} candidates={candidates.data} />
      {ineligible.length > 0 && (
        <>
          <h3>Who may not take it now</h3>
          <ul className="ineligible-list">
            {ineligible.map((candidate) => (
              <li key={candidate.memberId}>
                <span className="candidate-name">{candidate.name ?? "A member"}</span>:{" "}
                {candidate.ineligibility.map((i) => i.reason).join("; ")}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function holderWords(role: Role) {
  const holders = role.holders.filter((h) => !h.shadow);
  if (holders.length === 0) return "Vacant";
  return holders.map((h) => `${h.name}${h.endsAt ? ` until ${formatDate(h.endsAt)}` : ""}`).join(", ");
}

function TermsDue({ slug }: { slug: string }) {
  const terms = useQuery(termsDueQuery(slug));
  return (
    <section className="panel" aria-labelledby="terms-due-title">
      <h2 id="terms-due-title">Terms due</h2>
      {terms.isPending && <Loading label="Loading the terms…" />}
      {terms.isError && <ErrorMessage error={terms.error} onRetry={() => terms.refetch()} />}
      {terms.data?.length === 0 && <p className="muted">No term ends soon, and none has run past its end.</p>}
      {terms.data && terms.data.length > 0 && (
        <ul className="terms-due">
          {terms.data.map((term) => (
            <li key={term.assignmentId} className={term.state === "past_term" ? "is-past" : ""}>
              <span className="term-role">
                {term.roleName} <span className="muted">· {term.circleName}</span>
              </span>
              <span>
                {term.name} · {term.state === "past_term" ? "ended" : "ends"} {formatDate(term.endsAt)}
              </span>
              <span className={`badge ${term.state === "past_term" ? "badge-danger" : "badge-warn"}`}>
                {term.state === "past_term" ? "Past term" : "Ending soon"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RotationPage() {
  const org = useOrg();
  usePageTitle(`Rotation · ${org.name}`);
  const circles = useQuery(circlesQuery(org.slug));
  const [params, setParams] = useSearchParams();
  const pickerId = useId();
  const roles = (circles.data ?? []).flatMap((circle: Circle) =>
    circle.roles.filter((role) => role.fillingPolicy === "rotation").map((role) => ({ role, circle })),
  );
  const chosen = roles.find(({ role }) => role.id === params.get("role")) ?? roles[0];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Rotation</h1>
      </div>
      <RotationNav slug={org.slug} />
      <div className="rotation-layout">
        <section className="panel" aria-labelledby="candidates-title">
          <h2 id="candidates-title">Candidates for a rotating role</h2>
          {circles.isPending && <Loading label="Loading the roles…" />}
          {circles.isError && <ErrorMessage error={circles.error} onRetry={() => circles.refetch()} />}
          {circles.data && roles.length === 0 && <p className="muted">No role is filled by rotation yet.</p>}
          {chosen && (
            <>
              <div className="filter">
                <label htmlFor={pickerId}>Role</label>
                <select
                  id={pickerId}
                  value={chosen.role.id}
                  onChange={(event) => setParams({ role: event.target.value }, { replace: true })}
                >
                  {roles.map(({ role, circle }) => (
                    <option key={role.id} value={role.id}>
                      {role.name} · {circle.name}
                    </option>
                  ))}
                </select>
              </div>
              <p className="muted role-now">Held now: {holderWords(chosen.role)}</p>
              <CandidatesPanel key={chosen.role.id} slug={org.slug} roleId={chosen.role.id} />
            </>
          )}
        </section>
        <TermsDue slug={org.slug} />
      </div>
    </div>
  );
}
