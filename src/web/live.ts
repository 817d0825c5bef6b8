import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { eventsUrl, type LogEntry, type Proposal, type TallyUpdate } from "./api.js";
import { ACTIVITY_LENGTH, activityQuery } from "./queries.js";
import { invalidateLifecycle } from "./queries-lifecycle.js";

const PROPOSAL_EVENTS = [
  "proposal.created",
  "proposal.presented",
  "proposal.advanced",
  "proposal.question_asked",
  "proposal.question_answered",
  "proposal.reacted",
  "proposal.amended",
  "proposal.round_opened",
  "proposal.responded",
  "proposal.round_closed",
  "proposal.adopted",
  "proposal.withdrawn",
  "proposal.advice_given",
  "proposal.advice_decided",
  "objection.raised",
  "objection.resolved",
];

const ORGANISATION_EVENTS = [
  "org.updated",
  "term.ending_soon",
  "term.past",
  "member.joined",
  "member.updated",
  "member.access_changed",
  "member.archived",
  "circle.created",
  "circle.updated",
  "circle.archived",
  "circle.member_added",
  "circle.member_removed",
  "role.created",
  "role.updated",
  "role.archived",
  "role.rotated",
  "assignment.created",
  "assignment.updated",
  "assignment.ended",
  "crisis.granted",
  "crisis.extended",
  "crisis.released",
  "crisis.ended",
  "crisis.decision_recorded",
  "crisis.decision_resolved",
  "crisis.ratified",
  "role.rotation_proposed",
  "role.rotation_not_applied",
];

const LIFECYCLE_EVENTS = [
  "selection.started",
  "selection.term_agreed",
  "selection.qualifications_agreed",
  "selection.nominated",
  "selection.revealed",
  "selection.nomination_changed",
  "selection.changes_closed",
  "selection.proposed",
  "selection.round_opened",
  "selection.responded",
  "selection.objection_raised",
  "selection.objection_resolved",
  "selection.round_closed",
  "selection.elected",
  "selection.cancelled",
  "rota.created",
  "rota.reordered",
  "rota.turn_taken",
  "rota.turn_skipped",
  "rota.swap_requested",
  "rota.swap_accepted",
  "rota.swap_declined",
  "rota.swap_cancelled",
];

/**
 * EventSource hands named events only to listeners of that name, so the types this app redraws for are
 * listed; an entry of another type still shows in the activity at the next refresh.
 */
const LOG_EVENTS = [...PROPOSAL_EVENTS, ...ORGANISATION_EVENTS, ...LIFECYCLE_EVENTS];

/**
 * Marks stale (and refetches, where shown) what a new log entry may have changed. The entry itself joins
 * the recent activity as it is: reading the log again for it would cost a walk to its head.
 */
function invalidateFor(queryClient: QueryClient, slug: string, entry: LogEntry) {
  const invalidate = (...key: unknown[]) =>
    queryClient.invalidateQueries({ queryKey: ["org", slug, ...key] });
  queryClient.setQueryData(activityQuery(slug).queryKey, (recent) =>
    recent && !recent.some((e) => e.seq === entry.seq)
      ? [entry, ...recent].slice(0, ACTIVITY_LENGTH)
      : recent,
  );
  void invalidate("attention");
  invalidateLifecycle(queryClient, slug, entry.type);
  const proposalId = entry.payload.proposalId;
  if (typeof proposalId === "string") {
    void queryClient.invalidateQueries({ queryKey: ["org", slug, "proposal", proposalId], exact: true });
    void invalidate("proposals");
    void invalidate("decisions");
    return;
  }
  if (entry.type.startsWith("org."))
    void queryClient.invalidateQueries({ queryKey: ["org", slug], exact: true });
  void invalidate("circles");
  void invalidate("members");
}

/** Puts a live tally into the cached proposal, so an open page redraws without asking the server again. */
function applyTally(queryClient: QueryClient, slug: string, update: TallyUpdate) {
  queryClient.setQueryData<Proposal>(["org", slug, "proposal", update.proposalId], (proposal) => {
    if (!proposal?.round || proposal.round.number !== update.round) return proposal;
    const round = { ...proposal.round, tally: update.tally };
    return {
      ...proposal,
      state: update.state,
      round,
      rounds: proposal.rounds.map((r) => (r.number === round.number ? round : r)),
    };
  });
}

const parse = <T>(event: Event): T | null => {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
};

export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

/**
 * One event stream per open organisation: each governance log entry refreshes what it touches, and
 * tallies arrive in place. EventSource reconnects by itself and resumes after the last entry it saw; it
 * gives up ("offline") only when the server refuses the stream.
 */
export function useLiveUpdates(slug: string): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    const source = new EventSource(eventsUrl(slug));
    const onEntry = (event: Event) => {
      const entry = parse<LogEntry>(event);
      if (entry) invalidateFor(queryClient, slug, entry);
    };
    const onTally = (event: Event) => {
      const update = parse<TallyUpdate>(event);
      if (update) applyTally(queryClient, slug, update);
    };
    for (const type of LOG_EVENTS) source.addEventListener(type, onEntry);
    source.addEventListener("proposal.tally", onTally);
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "offline" : "reconnecting");
    return () => source.close();
  }, [slug, queryClient]);
  return status;
}
