import type { LogEntry } from "./api.js";
import { stateLabel } from "./proposals.js";

/** One line of recent activity: who did what, and the proposal it links to, if any. */
export interface ActivityLine {
  seq: number;
  at: string;
  text: string;
  proposalId: string | null;
}

export interface ActivityNames {
  /** Proposal titles by id. */
  titles: ReadonlyMap<string, string>;
  /** Member names by id. */
  members: ReadonlyMap<string, string>;
}

const RESPONSE_VERBS: Record<string, string> = {
  consent: "consented to",
  consent_with_concern: "consented with a concern to",
  object: "objected to",
  agree: "agreed with",
  stand_aside: "stood aside on",
  block: "blocked",
  vote: "voted on",
};

const OBJECTION_OUTCOMES: Record<string, string> = {
  integrated: "integrated an objection to",
  overruled: "overruled an objection to",
  withdrawn: "withdrew an objection to",
};

const ROUND_OUTCOMES: Record<string, string> = {
  adopted: "closed with consent",
  objections_open: "closed with objections to integrate",
  lapsed: "lapsed below quorum",
  blocked: "was blocked",
  rejected: "was voted down",
};

const str = (value: unknown) => (typeof value === "string" ? value : null);

/** "Bea Okafor presented Tool library", for the entries people follow; null for those the line before says. */
function describe(entry: LogEntry, names: ActivityNames): string | null {
  const { payload } = entry;
  const who = entry.actorName ?? "Someone";
  const proposalId = str(payload.proposalId);
  const title = str(payload.title) ?? (proposalId ? names.titles.get(proposalId) : undefined) ?? "a proposal";
  const memberName = (id: unknown) => (typeof id === "string" ? names.members.get(id) : undefined);
  switch (entry.type) {
    case "proposal.created":
      return `${who} drafted ${title}`;
    case "proposal.presented":
      return `${who} presented ${title}`;
    case "proposal.advanced": {
      const to = str(payload.to);
      return `${who} moved ${title} to ${to && to in stateLabel ? stateLabel[to as keyof typeof stateLabel].toLowerCase() : "its next phase"}`;
    }
    case "proposal.question_asked":
      return `${who} asked a question about ${title}`;
    case "proposal.question_answered":
      return `${who} answered a question about ${title}`;
    case "proposal.reacted":
      return `${who} reacted to ${title}`;
    case "proposal.amended":
      return `${who} amended ${title}`;
    case "proposal.round_opened":
      return `${who} opened a round on ${title}`;
    case "proposal.responded":
      return `${who} ${RESPONSE_VERBS[str(payload.response) ?? ""] ?? "responded to"} ${title}`;
    // The response that raised it is already a line of its own.
    case "objection.raised":
      return null;
    case "objection.resolved":
      if (payload.changedResponse === true) return null;
      return `${who} ${OBJECTION_OUTCOMES[str(payload.outcome) ?? ""] ?? "resolved an objection to"} ${title}`;
    case "proposal.round_closed":
      return `The round on ${title} ${ROUND_OUTCOMES[str(payload.outcome) ?? ""] ?? "closed"}`;
    case "proposal.adopted":
      return `${title} was adopted`;
    case "proposal.withdrawn":
      return `${who} withdrew ${title}`;
    case "proposal.advice_given":
      return `${memberName(payload.adviserId) ?? who} gave advice on ${title}`;
    case "proposal.advice_decided":
      return `${who} decided on ${title} after hearing advice`;
    case "org.created":
      return `${who} founded the organisation`;
    case "member.joined":
      return `${memberName(payload.memberId) ?? str(payload.name) ?? "A new member"} joined`;
    case "circle.created":
      return `${who} created the circle ${str(payload.name) ?? ""}`.trim();
    default:
      return `${who}: ${entry.type.replace(/[._]/g, " ")}`;
  }
}

/** The lines of recent activity, newest first, in plain language. */
export function activityLines(entries: readonly LogEntry[], names: ActivityNames): ActivityLine[] {
  return entries.flatMap((entry) => {
    const text = describe(entry, names);
    return text === null
      ? []
      : [{ seq: entry.seq, at: entry.at, text, proposalId: str(entry.payload.proposalId) }];
  });
}
