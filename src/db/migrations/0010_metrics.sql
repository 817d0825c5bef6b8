-- Indexes for the leadership metrics (src/app/metrics.ts), which aggregate in SQL over logs of millions of
-- entries. On an existing large log, building them takes a while and holds back appends meanwhile.

-- "Active in the last 30 days": each member's latest entry is one probe from the end of their slice.
CREATE INDEX log_entries_actor_idx ON log_entries (org_id, actor, at) WHERE actor IS NOT NULL;

-- Time to decision runs from presenting a proposal; only those entries are indexed, so appends stay cheap.
CREATE INDEX log_entries_presented_idx ON log_entries (org_id, (payload ->> 'proposalId'))
  WHERE type = 'proposal.presented';

-- Turnout and objections are read for the rounds that closed in the window.
CREATE INDEX proposal_rounds_closed_idx ON proposal_rounds (org_id, closed_at) WHERE closed_at IS NOT NULL;

-- Decisions adopted in the window (time to decision) and those still active (reviews overdue).
CREATE INDEX decisions_adopted_idx ON decisions (org_id, adopted_at);
