import { NavLink } from "react-router-dom";
import type { ScorePart } from "../api-lifecycle.js";

/** The rotation section's three views: each role's candidates, the organisation-wide plan, the rotas. */
export function RotationNav({ slug }: { slug: string }) {
  const base = `/orgs/${slug}/rotation`;
  return (
    <nav aria-label="Rotation" className="sub-nav">
      <NavLink to={base} end>
        Candidates
      </NavLink>
      <NavLink to={`${base}/plan`}>Organisation plan</NavLink>
      <NavLink to={`${base}/rotas`}>Rotas</NavLink>
    </nav>
  );
}

const signed = (points: number) => (points > 0 ? `+${points}` : String(points));

/** A score's parts as plain reasons, each with the points it adds. */
export function ScoreReasons({ parts }: { parts: readonly ScorePart[] }) {
  return (
    <ul className="score-reasons">
      {parts.map((part) => (
        // A factor can appear more than once (one part per required skill); its reason tells them apart.
        <li key={`${part.factor}-${part.reason}`} className={part.points > 0 ? "reason-plus" : "reason-none"}>
          {part.reason} <span className="points">({signed(part.points)})</span>
        </li>
      ))}
    </ul>
  );
}
