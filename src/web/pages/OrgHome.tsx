import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link } from "react-router-dom";
import { activityLines } from "../activity.js";
import type { AttentionItem, Org } from "../api.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { accessLabel, formatDateTime, plural } from "../format.js";
import { activityQuery, attentionQuery, circlesQuery, membersQuery, proposalsQuery } from "../queries.js";
import { CirclesAndPeople } from "./OrgOverview.js";

const ATTENTION_KIND: Record<string, string> = {
  respond: "Your response",
  advise: "Your advice",
  facilitate: "To move on",
  answer_questions: "Questions to answer",
  review_decision: "Review due",
};

function attentionLink(slug: string, item: AttentionItem) {
  if (item.proposalId) return `/orgs/${slug}/proposals/${item.proposalId}`;
  if (item.decisionId) return `/orgs/${slug}/decisions#decision-${item.decisionId}`;
  return `/orgs/${slug}`;
}

function NeedsYou({ org }: { org: Org }) {
  const attention = useQuery(attentionQuery(org.slug));
  const circles = useQuery(circlesQuery(org.slug));
  const circleName = (id: string) => circles.data?.find((c) => c.id === id)?.name;
  return (
    <section className="panel" aria-labelledby="attention-title">
      <h2 id="attention-title">Needs you now</h2>
      {attention.isPending && <Loading label="Finding what needs you…" />}
      {attention.isError && (
        <ErrorMessage
          error={attention.error}
          title="What needs you could not be loaded"
          onRetry={() => attention.refetch()}
        />
      )}
      {attention.data?.length === 0 && (
        <p className="muted">
          Nothing waits for you right now. Rounds, questions and reviews will show here.
        </p>
      )}
      {attention.data && attention.data.length > 0 && (
        <ul className="attention-list">
          {attention.data.map((item) => (
            <li key={`${item.kind}-${item.proposalId ?? item.decisionId}`} className="attention-item">
              <span className={`badge attention-${item.kind}`}>{ATTENTION_KIND[item.kind] ?? "To do"}</span>
              <Link to={attentionLink(org.slug, item)} className="attention-title">
                {item.title}
              </Link>
              <span className="attention-reason">{item.reason}</span>
              <span className="muted attention-meta">
                {circleName(item.circleId)}
                {item.due && ` · due ${formatDateTime(item.due)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentActivity({ org }: { org: Org }) {
  const activity = useQuery(activityQuery(org.slug));
  const proposals = useQuery(proposalsQuery(org.slug));
  const { names } = useMemberNames(org.slug);
  const lines = useMemo(() => {
    const titles = new Map((proposals.data?.proposals ?? []).map((p) => [p.id, p.title]));
    return activityLines(activity.data ?? [], { titles, members: names });
  }, [activity.data, proposals.data, names]);
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent activity</h2>
      {activity.isPending && <Loading label="Loading recent activity…" />}
      {activity.isError && (
        <ErrorMessage
          error={activity.error}
          title="Recent activity could not be loaded"
          onRetry={() => activity.refetch()}
        />
      )}
      {activity.data && lines.length === 0 && <p className="muted">Nothing has happened yet.</p>}
      {lines.length > 0 && (
        <ol className="activity-list" aria-label="Recent activity, newest first">
          {lines.map((line) => (
            <li key={line.seq}>
              {line.proposalId ? (
                <Link to={`/orgs/${org.slug}/proposals/${line.proposalId}`}>{line.text}</Link>
              ) : (
                line.text
              )}
              <time dateTime={line.at} className="muted activity-time">
                {formatDateTime(line.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function OrgHomePage() {
  const org = useOrg();
  usePageTitle(org.name);
  const circles = useQuery(circlesQuery(org.slug));
  const members = useQuery(membersQuery(org.slug));
  return (
    <div className="page">
      <header className="org-header">
        <h1>{org.name}</h1>
        <p className="org-access">
          You are {org.me.access === "admin" ? "an" : "a"}{" "}
          <strong>{accessLabel[org.me.access].toLowerCase()}</strong>
          {circles.data && ` · ${plural(circles.data.length, "circle")}`}
          {members.data && ` · ${plural(members.data.total, "member")}`}
        </p>
        {org.purpose ? (
          <blockquote className="purpose">
            <p className="purpose-label">Purpose</p>
            <p>{org.purpose}</p>
          </blockquote>
        ) : (
          <p className="muted">No purpose written yet.</p>
        )}
      </header>
      <div className="home-grid">
        <NeedsYou org={org} />
        <RecentActivity org={org} />
      </div>
      <CirclesAndPeople org={org} />
    </div>
  );
}
