import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import type { Org } from "../api.js";
import type { Crisis } from "../api-lifecycle.js";
import { formatDateTime } from "../format.js";
import { countdownWords, formatCountdown } from "../lifecycle.js";
import { circlesQuery, membersQuery } from "../queries.js";
import { activeCrisesQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

/** Ticks once a second while `running`: the time on this page, for counting down from a server answer. */
function useTicker(running: boolean) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function CrisisNotice({
  slug,
  crisis,
  leftMs,
  holder,
  circle,
}: {
  slug: string;
  crisis: Crisis;
  leftMs: number;
  holder: string;
  circle: string;
}) {
  const titleId = `crisis-banner-${crisis.id}`;
  const scope = crisis.scope.split("\n")[0] ?? "";
  return (
    <section className="crisis-banner" aria-labelledby={titleId} data-testid="crisis-banner">
      <p className="crisis-banner-title" id={titleId}>
        <span className="crisis-banner-mark" aria-hidden="true">
          !
        </span>
        <span>
          Crisis authority in {circle}, held by <strong>{holder}</strong>
        </span>
      </p>
      <p className="crisis-banner-scope">
        <span className="muted-on-crisis">Scope:</span> {scope}
      </p>
      <p className="crisis-banner-time">
        <span>
          Ends {formatDateTime(crisis.endsAt)} ·{" "}
          <span className="crisis-countdown" aria-hidden="true" data-testid="crisis-countdown">
            {formatCountdown(leftMs)}
          </span>
          <span className="visually-hidden" role="status">
            {countdownWords(leftMs)}
          </span>
        </span>
        <Link to={`/orgs/${slug}/crises/${crisis.id}`}>Open the crisis</Link>
      </p>
    </section>
  );
}

/**
 * Every active crisis authority of the organisation, on every one of its pages: scope, holder, circle
 * and a countdown. The countdown runs from the server's `countdownMs` at the answer plus the time
 * since on this page (so a wrong clock on this computer does not matter); when it runs out the
 * banner asks the server again, and it also asks every few seconds in case the authority was released.
 */
export function CrisisBanner({ org }: { org: Org }) {
  const active = useQuery(activeCrisesQuery(org.slug));
  const circles = useQuery(circlesQuery(org.slug));
  const members = useQuery(membersQuery(org.slug));
  const crises = active.data?.crises ?? [];
  const now = useTicker(crises.length > 0);
  const fetchedAt = active.data?.fetchedAt ?? now;
  const counted = crises.map((crisis) => ({ crisis, leftMs: crisis.countdownMs - (now - fetchedAt) }));
  const showing = counted.filter(({ leftMs }) => leftMs > 0);
  // Ask once per answer, and only about a countdown this page ran out (not one the server already ended).
  const runOut = counted.some(({ crisis, leftMs }) => crisis.countdownMs > 0 && leftMs <= 0);
  const { refetch, dataUpdatedAt } = active;
  useEffect(() => {
    if (runOut && dataUpdatedAt) void refetch({ cancelRefetch: false });
  }, [runOut, dataUpdatedAt, refetch]);
  // Names first, so the banner never shows "a member" for a moment before the holder's name.
  if (showing.length === 0 || members.isPending || circles.isPending) return null;
  const circleName = (id: string) => circles.data?.find((c) => c.id === id)?.name ?? "a circle";
  const nameOf = (id: string) => members.data?.members.find((m) => m.id === id)?.name ?? "a member";
  return (
    <div className="crisis-banners">
      {showing.map(({ crisis, leftMs }) => (
        <CrisisNotice
          key={crisis.id}
          slug={org.slug}
          crisis={crisis}
          leftMs={leftMs}
          holder={nameOf(crisis.holderId)}
          circle={circleName(crisis.circleId)}
        />
      ))}
    </div>
  );
}
