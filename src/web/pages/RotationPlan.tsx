import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import type { ScorePart } from "../api-lifecycle.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { RotationNav, ScoreReasons } from "../components/RotationBits.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { plural } from "../format.js";
import { dueReasonLabel } from "../lifecycle.js";
import { rotationPlanQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

/** The parts that moved the score (all of them when none did): the plan's reasons at a glance. */
const counting = (parts: readonly ScorePart[]) => {
  const moved = parts.filter((part) => part.points !== 0);
  return moved.length > 0 ? moved : parts;
};

/**
 * The organisation-wide plan: every rotating role that is due, filled together so that nobody takes two
 * while someone else could take one. It proposes; each role is then rotated on its own.
 */
export function RotationPlanPage() {
  const org = useOrg();
  usePageTitle(`Rotation plan · ${org.name}`);
  const plan = useQuery(rotationPlanQuery(org.slug));
  const { nameOf } = useMemberNames(org.slug);
  const rotateLink = (roleId: string) => `/orgs/${org.slug}/rotation?role=${roleId}`;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Rotation plan</h1>
      </div>
      <RotationNav slug={org.slug} />
      <p className="lead">
        Every rotating role that is due, planned together: the best total for the organisation, and nobody
        given a second role while someone else could take one. Nothing changes until a role is rotated.
      </p>
      {plan.isPending && <Loading label="Planning…" />}
      {plan.isError && (
        <ErrorMessage error={plan.error} title="The plan could not be made" onRetry={() => plan.refetch()} />
      )}
      {plan.data && plan.data.dueRoles === 0 && (
        <p className="empty">No rotating role is due: every one is held, with time left in its term.</p>
      )}
      {plan.data && plan.data.assignments.length > 0 && (
        <section className="section" aria-labelledby="planned-title">
          <h2 id="planned-title">
            Proposed <span className="muted">({plural(plan.data.assignments.length, "role")})</span>
          </h2>
          <table className="plan-table">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Circle</th>
                <th scope="col">Why now</th>
                <th scope="col">Proposed member</th>
                <th scope="col">Score</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {plan.data.assignments.map((row) => (
                <tr key={row.roleId}>
                  <th scope="row" data-label="Role">
                    <Link to={rotateLink(row.roleId)}>{row.roleName ?? "A role"}</Link>
                  </th>
                  <td data-label="Circle">{row.circleName ?? "A circle"}</td>
                  <td data-label="Why now">{row.due ? dueReasonLabel[row.due] : ""}</td>
                  <td data-label="Proposed member" className="plan-member">
                    {row.name ?? nameOf(row.memberId)}
                    {row.memberNewRoles > 1 && (
                      <span className="plan-note">takes {row.memberNewRoles} roles in this plan</span>
                    )}
                  </td>
                  <td data-label="Score" className="plan-score">
                    {row.score}
                  </td>
                  <td data-label="Reasons">
                    <ScoreReasons parts={counting(row.parts)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {plan.data && plan.data.unfilled.length > 0 && (
        <section className="section" aria-labelledby="unfilled-title">
          <h2 id="unfilled-title">Left unfilled</h2>
          <ul className="unfilled-list">
            {plan.data.unfilled.map((row) => (
              <li key={row.roleId} className="panel">
                <p className="unfilled-head">
                  <Link to={rotateLink(row.roleId)}>{row.roleName ?? "A role"}</Link>
                  <span className="muted"> · {row.circleName ?? "A circle"}</span>
                  {row.due && <span className="badge badge-warn">{dueReasonLabel[row.due]}</span>}
                </p>
                <p>{row.explanation}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
