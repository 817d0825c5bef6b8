import type { OrgAccess, Viewer } from "../core/access.js";
import type { VoteChoice } from "../core/consent/methods/vote.js";
import type { Resolution } from "../core/consent/objections.js";
import type { MandateGrant, Proposal } from "../core/consent/proposal.js";
import type { MemberId } from "../core/ids.js";
import type { AppContext } from "./context.js";
import type { CircleKey, DemoStep, MemberKey, RoleKey } from "./demo.js";
import { type Org, type OrgRow, toOrg } from "./orgs.js";
import {
  type AdvanceTarget,
  advanceProposal,
  amend,
  answerQuestion,
  askQuestion,
  createProposal,
  decideAfterAdvice,
  giveAdvice,
  type RespondInput,
  react,
  resolveObjection,
  respond,
} from "./proposals/commands.js";
import { circleIdsOf } from "./viewer.js";

/** The demo organisation's people, circles and calendar, as its governance history needs them. */
export interface DemoCast {
  orgId: string;
  daysAgo: (days: number) => Date;
  memberIds: Record<MemberKey, string>;
  access: Record<MemberKey, OrgAccess>;
  circleIds: Record<CircleKey, string>;
  roleIds: ReadonlyMap<RoleKey, string>;
}

/** What one action of the history has: a context at its moment, the organisation, and any member as a viewer. */
export interface Act {
  ctx: AppContext;
  org: Org;
  as: (member: MemberKey) => Promise<Viewer>;
}

/** A fraction of a day: the history's steps have a time of day, so a morning's responses come in order. */
export const HOUR = 1 / 24;

/** The steps of the history, each dated in days before now. */
export class History {
  readonly steps: DemoStep[] = [];

  constructor(readonly cast: DemoCast) {}

  at(days: number, action: (act: Act) => Promise<void>) {
    const { orgId, memberIds, access } = this.cast;
    this.steps.push({
      at: this.cast.daysAgo(days),
      run: async ({ tx, ctx }) => {
        const { rows } = await tx.query<OrgRow>("SELECT * FROM orgs WHERE id = $1", [orgId]);
        const org = toOrg(rows[0] as OrgRow);
        // The member as the app would see them then: their circles, and the double links they held.
        const as = async (member: MemberKey): Promise<Viewer> => {
          const memberId = memberIds[member] as MemberId;
          const circleIds = await circleIdsOf(tx, orgId, memberId, ctx.now());
          return { memberId, access: access[member], circleIds };
        };
        await action({ ctx, org, as });
      },
    });
  }

  /** The id of a role of the demo's structure. */
  roleId(key: RoleKey): string {
    const id = this.cast.roleIds.get(key);
    if (!id) throw new Error(`The demo has no role ${key}`);
    return id;
  }

  proposal(days: number, author: MemberKey, draft: DemoDraft) {
    const { circleIds, memberIds } = this.cast;
    return new ProposalStory(this, days, author, ({ ctx, org }, viewer) =>
      createProposal(ctx, org, viewer, {
        circleId: circleIds[draft.circle],
        title: draft.title,
        text: draft.text,
        method:
          draft.method?.kind === "advice"
            ? { kind: "advice", advisers: draft.method.advisers.map((key) => memberIds[key]) }
            : draft.method,
        grantsMandate: draft.grantsMandate,
      }),
    );
  }

  /** A proposal drafted by another use-case (a rotation, say), told from there like any other. */
  proposalFrom(days: number, author: MemberKey, draft: (act: Act, author: Viewer) => Promise<Proposal>) {
    return new ProposalStory(this, days, author, draft);
  }
}

interface DemoDraft {
  circle: CircleKey;
  title: string;
  text: string;
  method?: { kind: "advice"; advisers: MemberKey[] } | { kind: "vote"; decisionClass: string };
  grantsMandate?: MandateGrant;
}

/**
 * One proposal's way through its process, told step by step. Each step is a use-case run by a member
 * at its moment; the story keeps the proposal as the last step left it, to find the question to
 * answer or the objection to resolve.
 */
export class ProposalStory {
  private current: Proposal | null = null;

  constructor(
    private readonly history: History,
    days: number,
    author: MemberKey,
    draft: (act: Act, author: Viewer) => Promise<Proposal>,
  ) {
    history.at(days, async (act) => {
      this.current = await draft(act, await act.as(author));
    });
  }

  /** The proposal's id, once the step drafting it has run (a later step of the history may refer to it). */
  get id(): string {
    if (!this.current) throw new Error("The proposal has not been drafted yet");
    return this.current.id;
  }

  private step(
    days: number,
    by: MemberKey,
    command: (act: Act, viewer: Viewer, proposal: Proposal) => Promise<{ proposal: Proposal }>,
  ) {
    this.history.at(days, async (act) => {
      if (!this.current) throw new Error("A proposal's story starts with its draft");
      this.current = (await command(act, await act.as(by), this.current)).proposal;
    });
    return this;
  }

  /** Presents the draft: to the circle, or to the advisers for an advice proposal. */
  present(days: number, by: MemberKey, deadlineInDays?: number) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      advanceProposal(ctx, org, viewer, proposal.id, {
        to: proposal.method.kind === "advice" ? "advice" : "presented",
        deadline: this.deadline(days, deadlineInDays),
      }),
    );
  }

  advance(days: number, by: MemberKey, to: AdvanceTarget, deadlineInDays?: number) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      advanceProposal(ctx, org, viewer, proposal.id, { to, deadline: this.deadline(days, deadlineInDays) }),
    );
  }

  /** Opens the consent round among the members named rather than the whole circle (a review group, say). */
  openRoundAmong(days: number, by: MemberKey, members: readonly MemberKey[], deadlineInDays: number) {
    const participants = members.map((member) => this.history.cast.memberIds[member]);
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      advanceProposal(ctx, org, viewer, proposal.id, {
        to: "consent_round",
        deadline: this.deadline(days, deadlineInDays),
        participants,
      }),
    );
  }

  ask(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      askQuestion(ctx, org, viewer, proposal.id, text),
    );
  }

  /** The author answers the open question `asker` asked. */
  answer(days: number, by: MemberKey, asker: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) => {
      const question = proposal.questions.find(
        (q) => q.askedBy === this.history.cast.memberIds[asker] && q.answer === null,
      );
      if (!question) throw new Error(`No open question from ${asker}`);
      return answerQuestion(ctx, org, viewer, proposal.id, question.id, text);
    });
  }

  react(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      react(ctx, org, viewer, proposal.id, text),
    );
  }

  amend(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      amend(ctx, org, viewer, proposal.id, text),
    );
  }

  respond(days: number, by: MemberKey, response: RespondInput) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      respond(ctx, org, viewer, proposal.id, response),
    );
  }

  /** Consent from each member in turn, a few hours apart. */
  consentFrom(days: number, members: readonly MemberKey[]) {
    members.forEach((member, i) => {
      this.respond(days - 3 * i * HOUR, member, { kind: "consent" });
    });
    return this;
  }

  /** Votes cast in turn, a few hours apart. */
  votes(days: number, ballots: readonly [MemberKey, VoteChoice][]) {
    ballots.forEach(([member, choice], i) => {
      this.respond(days - 3 * i * HOUR, member, { kind: "vote", choice });
    });
    return this;
  }

  /** Resolves the open objection `objector` raised. */
  resolve(days: number, by: MemberKey, objector: MemberKey, resolution: Resolution) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) => {
      const objection = proposal.objections.find(
        (o) => o.memberId === this.history.cast.memberIds[objector] && o.resolution === null,
      );
      if (!objection) throw new Error(`No open objection from ${objector}`);
      return resolveObjection(ctx, org, viewer, proposal.id, objection.id, resolution);
    });
  }

  advise(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      giveAdvice(ctx, org, viewer, proposal.id, { text }),
    );
  }

  decideAfterAdvice(days: number, by: MemberKey, rationale: string) {
    return this.step(days, by, ({ ctx, org }, viewer, proposal) =>
      decideAfterAdvice(ctx, org, viewer, proposal.id, { outcome: "proceed", rationale }),
    );
  }

  private deadline(days: number, inDays: number | undefined) {
    return inDays === undefined ? null : this.history.cast.daysAgo(days - inDays);
  }
}

/**
 * The orchestra's proposals and decisions over its year: a rule adopted seven months ago and now due
 * for review, a seating rota adopted after integrating an objection, a mandate to vote on repertoire
 * and the secret vote held under it, a per diem policy decided by advice, a reserve fund in its
 * consent round now, and a commission still in clarifying questions. Each step comes after the
 * structure it needs: its circle's members have joined, and its facilitator holds the role then.
 */
export function governanceHistory(cast: DemoCast): DemoStep[] {
  const history = new History(cast);

  // Artistic Planning, facilitated by Daniel: adopted about seven months ago, so due for review now.
  history
    .proposal(220, "jonas", {
      circle: "artistic",
      title: "Rotate the concertmaster per programme",
      text:
        "The concertmaster changes with every programme.\n" +
        "No one leads two programmes in a row.\n" +
        "The next concertmaster sits beside the current one for the programme before theirs.",
    })
    .present(219.9, "jonas")
    .advance(219, "daniel", "clarifying")
    .ask(218.8, "priya", "Does this include the family concerts, or only the subscription programmes?")
    .answer(218.6, "jonas", "priya", "Every programme, the family concerts included.")
    .advance(217, "daniel", "reactions")
    .react(216.9, "leah", "Yes. Say who sets the order, or we will argue about it every season.")
    .react(216.8, "tomas", "Glad the shadowing is written down: it is how I learnt.")
    .amend(
      216.5,
      "daniel",
      "The concertmaster changes with every programme.\n" +
        "No one leads two programmes in a row.\n" +
        "The next concertmaster sits beside the current one for the programme before theirs.\n" +
        "Artistic Planning sets the order of concertmasters at the first meeting of each season.",
    )
    .advance(216, "daniel", "consent_round", 7)
    .consentFrom(215.8, ["jonas", "maya", "tomas"])
    .respond(215, "aiko", {
      kind: "consent_with_concern",
      concern: "Eight weeks is short for a new concertmaster to settle in with the winds.",
    })
    .consentFrom(214, ["priya", "leah", "giulia"])
    .respond(213, "daniel", { kind: "consent" });

  // A consent that lets the circle vote on repertoire, facilitated by Giulia; Elias has joined.
  history
    .proposal(166, "maya", {
      circle: "artistic",
      title: "Choose the season's repertoire by secret vote",
      text:
        "Artistic Planning chooses between repertoire options by vote: secret ballots, carried by a " +
        "majority of yes over no, with more than half of the circle voting.\n" +
        "Each option is presented and discussed as a proposal before the vote.",
      grantsMandate: {
        decisionClass: "repertoire",
        threshold: { kind: "majority" },
        secret: true,
        quorum: { kind: "more_than_half" },
      },
    })
    .present(165.9, "maya")
    .advance(165, "giulia", "clarifying")
    .ask(164.8, "elias", "Why secret? We usually say what we think.")
    .answer(
      164.5,
      "maya",
      "elias",
      "So that a newer member can vote for a piece without seeming to vote against a principal.",
    )
    .advance(163, "giulia", "reactions")
    .react(162.9, "daniel", "Relieved: last season's repertoire took three consent rounds.")
    .advance(162, "giulia", "consent_round", 7)
    .consentFrom(161.8, ["maya", "giulia", "daniel", "priya"])
    .respond(161, "tomas", {
      kind: "consent_with_concern",
      concern: "A ballot keeps the reasons behind a vote to itself: keep the discussion before it.",
    })
    .consentFrom(160, ["aiko", "jonas", "leah"])
    .respond(158, "elias", { kind: "consent" });

  // The first vote under that mandate: secret ballots, carried.
  history
    .proposal(130, "priya", {
      circle: "artistic",
      title: "Spring programme: Stravinsky's Dumbarton Oaks and Haydn's Farewell Symphony",
      text:
        "The spring programme opens with Stravinsky's Concerto in E-flat, Dumbarton Oaks, and ends with " +
        "Haydn's Symphony No. 45, the Farewell, the players leaving the stage one by one.",
      method: { kind: "vote", decisionClass: "repertoire" },
    })
    .present(129.9, "priya")
    .advance(129, "giulia", "clarifying")
    .ask(128.9, "jonas", "Do we have the horns for the Haydn?")
    .answer(128.7, "priya", "jonas", "Yes: the Haydn needs two, Amara and a guest.")
    .advance(128, "giulia", "reactions")
    .react(127.9, "leah", "The Stravinsky will show what we can do without a conductor.")
    .advance(127, "giulia", "consent_round", 5)
    .votes(126.8, [
      ["priya", "yes"],
      ["leah", "yes"],
      ["daniel", "no"],
      ["maya", "yes"],
      ["elias", "abstain"],
      ["giulia", "yes"],
      ["jonas", "no"],
      ["aiko", "yes"],
      ["tomas", "yes"],
    ]);

  // Operations, facilitated by Oskar: the tour manager decides after asking the treasurer and Samuel.
  history
    .proposal(112, "amara", {
      circle: "operations",
      title: "Touring per diem policy",
      text:
        "On tour each musician receives €45 for each day away, paid in cash on the first day.\n" +
        "A day with a dinner provided counts €25.\n" +
        "No receipts are needed.",
      method: { kind: "advice", advisers: ["ruth", "samuel"] },
    })
    .present(111.9, "amara", 10)
    .advise(
      110,
      "ruth",
      "Pay by bank transfer a week before we leave, not in cash: the bank charges for cash and no one carries it.",
    )
    .advise(108, "samuel", "€45 is what the orchestras we know pay. Budget it per tour, not per season.")
    .decideAfterAdvice(
      106,
      "amara",
      "Proceeding with Ruth's advice: per diems are paid by transfer a week before departure. " +
        "Samuel's note goes into the tour budget template.",
    );

  // Artistic Planning, facilitated by Giulia: an objection integrated by a shorter term.
  history
    .proposal(82, "leah", {
      circle: "artistic",
      title: "Seating rota for the string section",
      text:
        "Desk partners in the violins, violas and cellos change with every programme, following a rota " +
        "the principals draw up for the season.\n" +
        "Principals sit at the front desk for the programmes they lead.",
    })
    .present(81.9, "leah")
    .advance(81, "giulia", "clarifying")
    .ask(80.9, "aiko", "Are the second violins in the rota too?")
    .answer(80.7, "leah", "aiko", "Yes, every string section.")
    .advance(80, "giulia", "reactions")
    .react(79.9, "tomas", "Good: we hear each other better after sitting with different people.")
    .advance(79, "giulia", "consent_round", 7)
    .consentFrom(78.8, ["leah", "maya"])
    .respond(78.5, "jonas", {
      kind: "consent_with_concern",
      concern: "New desk partners every programme means marking the bowings again each time.",
    })
    .respond(78, "aiko", {
      kind: "object",
      reason:
        "We have never tried this. If re-seating costs us rehearsal time every programme, six months " +
        "is too long to find out.",
      suggestedAmendment: "Review it after three months.",
    })
    .consentFrom(77.5, ["tomas", "priya", "daniel", "giulia", "elias"])
    .advance(76, "giulia", "integrating")
    .resolve(75.9, "giulia", "aiko", { outcome: "integrated", by: "shorter_term", reviewMonths: 3 })
    .advance(75.8, "giulia", "consent_round", 7)
    .consentFrom(75.5, ["aiko", "leah", "maya"])
    .respond(75, "jonas", {
      kind: "consent_with_concern",
      concern: "New desk partners every programme means marking the bowings again each time.",
    })
    .consentFrom(74.5, ["tomas", "priya", "daniel", "giulia", "elias"]);

  // The Council, facilitated by Maya: in its consent round now, half the circle still to respond.
  history
    .proposal(12, "ruth", {
      circle: "council",
      title: "A reserve fund from every concert fee",
      text:
        "Set aside 5% of every concert fee in a reserve fund until it holds three months of running costs.\n" +
        "Spending from the reserve needs the Council's consent.",
    })
    .present(11.9, "ruth")
    .advance(11, "maya", "clarifying")
    .ask(10.8, "chloe", "Is the 5% taken before or after the musicians' fees?")
    .answer(10.5, "ruth", "chloe", "After: it comes from the orchestra's share, and no one's fee goes down.")
    .advance(8, "maya", "reactions")
    .react(7.9, "samuel", "Overdue. The cancelled autumn tour would have hurt less with a reserve.")
    .react(7.5, "fatima", "Please say what happens once the fund is full.")
    .advance(5, "maya", "consent_round", 8)
    .consentFrom(4.8, ["ruth", "samuel"])
    .respond(3.9, "henrik", {
      kind: "consent_with_concern",
      concern: "At 5% the fund takes four seasons to fill: look at the rate again in a year.",
    })
    .consentFrom(3, ["leah", "daniel"]);

  // Artistic Planning, facilitated by Aiko: Maya's proposal waits for her answers.
  history
    .proposal(6, "maya", {
      circle: "artistic",
      title: "Commission a new work for the 2027 season",
      text:
        "Commission a work of about fifteen minutes from a composer early in their career, to be premiered " +
        "in the 2027 season.\n" +
        "Artistic Planning chooses the composer from an open call for scores.\n" +
        "The budget is €8,000 from the fundraising for new music.",
    })
    .present(5.9, "maya")
    .advance(4, "aiko", "clarifying", 7)
    .ask(3, "tomas", "Who reads the scores: the whole circle, or a panel of a few of us?")
    .ask(1.5, "felix", "Is the call open to composers from outside Europe?");

  return history.steps;
}
