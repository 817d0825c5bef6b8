import type { Decision } from "../../api.js";
import { formatDate } from "../../format.js";

/** The decision an adopted proposal became: its review date and what to check then. */
export function DecisionSummary({
  decision,
  nameOf,
}: {
  decision: Decision;
  nameOf: (id: string) => string;
}) {
  return (
    <section className="panel decision" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <dl className="facts">
        <div>
          <dt>Adopted</dt>
          <dd>{formatDate(decision.adoptedAt)}</dd>
        </div>
        <div>
          <dt>Review by</dt>
          <dd data-testid="review-date">
            {formatDate(decision.reviewAt)} ({decision.reviewMonths} months)
          </dd>
        </div>
        <div>
          <dt>Text</dt>
          <dd>Version {decision.version}</dd>
        </div>
      </dl>
      {decision.concerns.length > 0 && (
        <>
          <h3>Concerns to check at review</h3>
          <ul>
            {decision.concerns.map((c) => (
              <li key={`${c.memberId}-${c.concern}`}>
                {c.concern} <span className="muted">({nameOf(c.memberId)})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {decision.measures.length > 0 && (
        <>
          <h3>Measures</h3>
          <ul>
            {decision.measures.map((m) => (
              <li key={m.objectionId}>
                {m.measure} <span className="muted">({nameOf(m.memberId)})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {decision.advice && (
        <>
          <h3>Why, after advice</h3>
          <p>{decision.advice.rationale}</p>
        </>
      )}
    </section>
  );
}
