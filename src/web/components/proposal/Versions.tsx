import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { Proposal, Version } from "../../api.js";
import { formatDateTime } from "../../format.js";
import { diffQuery } from "../../queries.js";
import { ErrorMessage, Loading } from "../Status.js";

const KIND_WORDS: Record<Version["kind"], string> = {
  original: "Original",
  revision: "Revision of the draft",
  friendly: "Friendly amendment",
  integration: "Integrating objections",
};

function Diff({
  slug,
  proposalId,
  from,
  to,
}: {
  slug: string;
  proposalId: string;
  from: number;
  to: number;
}) {
  const diff = useQuery(diffQuery(slug, proposalId, from, to));
  if (diff.isPending) return <Loading label="Comparing…" />;
  if (diff.isError) return <ErrorMessage error={diff.error} onRetry={() => diff.refetch()} />;
  return (
    <figure className="diff">
      <figcaption className="visually-hidden">
        Changes from version {from} to version {to}
      </figcaption>
      {diff.data.parts.map((part, index) =>
        part.op === "insert" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never reorder
          <ins key={index}>
            <span className="visually-hidden">Added: </span>
            {part.text}
          </ins>
        ) : part.op === "delete" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never reorder
          <del key={index}>
            <span className="visually-hidden">Removed: </span>
            {part.text}
          </del>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one diff never reorder
          <span key={index}>{part.text}</span>
        ),
      )}
    </figure>
  );
}

/** Every version of the text, and what changed between any two. */
export function Versions({
  slug,
  proposal,
  nameOf,
}: {
  slug: string;
  proposal: Proposal;
  nameOf: (id: string) => string;
}) {
  const latest = proposal.currentVersion.number;
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const ids = { from: useId(), to: useId() };
  if (proposal.versions.length < 2) return null;
  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ol className="versions">
        {proposal.versions.map((v) => (
          <li key={v.number}>
            <strong>Version {v.number}</strong> · {KIND_WORDS[v.kind]} · {nameOf(v.by)} ·{" "}
            <span className="muted">{formatDateTime(v.at)}</span>
          </li>
        ))}
      </ol>
      <div className="filters">
        <div className="filter">
          <label htmlFor={ids.from}>Compare version</label>
          <select id={ids.from} value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {proposal.versions.map((v) => (
              <option key={v.number} value={v.number}>
                {v.number}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={ids.to}>with version</label>
          <select id={ids.to} value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {proposal.versions.map((v) => (
              <option key={v.number} value={v.number}>
                {v.number}
              </option>
            ))}
          </select>
        </div>
      </div>
      {from < to ? (
        <Diff slug={slug} proposalId={proposal.id} from={from} to={to} />
      ) : (
        <p className="muted">Choose an earlier version first, then a later one.</p>
      )}
    </section>
  );
}
