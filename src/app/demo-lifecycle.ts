import type { Viewer } from "../core/access.js";
import type { Crisis } from "../core/crisis/crisis.js";
import type { Selection } from "../core/selection/selection.js";
import {
  grantCrisisAuthority,
  ratifyCrisis,
  recordDecision,
  releaseCrisis,
  resolveDecision,
} from "./crises.js";
import type { CircleKey, DemoStep, MemberKey, RoleKey } from "./demo.js";
import { type Act, type DemoCast, History, HOUR, type ProposalStory } from "./demo-governance.js";
import { updateRole } from "./roles.js";
import { rotateRole } from "./rotation.js";
import {
  type AdvanceInput,
  advanceSelection,
  nominate,
  proposeNominee,
  respondToNominee,
  type SelectionRespondInput,
  startSelection,
} from "./selections/commands.js";

/**
 * One election's way through the sociocratic selection process, told step by step like a proposal's:
 * each step is a selection use-case run by a member at its moment.
 */
class ElectionStory {
  private selectionId: string | null = null;

  constructor(
    private readonly history: History,
    days: number,
    by: MemberKey,
    role: RoleKey,
  ) {
    history.at(days, async ({ ctx, org, as }) => {
      const selection = await startSelection(ctx, org, await as(by), { roleId: history.roleId(role) });
      this.selectionId = selection.id;
    });
  }

  private step(
    days: number,
    by: MemberKey,
    command: (act: Act, viewer: Viewer, selectionId: string) => Promise<Selection>,
  ) {
    this.history.at(days, async (act) => {
      if (!this.selectionId) throw new Error("An election's story starts with starting it");
      await command(act, await act.as(by), this.selectionId);
    });
    return this;
  }

  advance(days: number, by: MemberKey, input: AdvanceInput) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => advanceSelection(ctx, org, viewer, id, input));
  }

  nominate(days: number, by: MemberKey, nominee: MemberKey, reason: string) {
    return this.step(days, by, ({ ctx, org }, viewer, id) =>
      nominate(ctx, org, viewer, id, { nomineeId: this.history.cast.memberIds[nominee], reason }),
    );
  }

  propose(days: number, by: MemberKey, nominee: MemberKey, reasons: string) {
    return this.step(days, by, ({ ctx, org }, viewer, id) =>
      proposeNominee(ctx, org, viewer, id, { nomineeId: this.history.cast.memberIds[nominee], reasons }),
    );
  }

  respond(days: number, by: MemberKey, response: SelectionRespondInput) {
    return this.step(days, by, ({ ctx, org }, viewer, id) =>
      respondToNominee(ctx, org, viewer, id, response),
    );
  }

  /** Consent from each member in turn, a few hours apart. */
  consentFrom(days: number, members: readonly MemberKey[]) {
    members.forEach((member, i) => {
      this.respond(days - 3 * i * HOUR, member, { kind: "consent" });
    });
    return this;
  }
}

interface DemoGrant {
  circle: CircleKey;
  holder: MemberKey;
  scope: string;
  lastingDays: number;
  /** The two leadership-role holders of the circle who grant it by the expedited rule; the first records it. */
  grantedBy: [MemberKey, MemberKey];
}

/** One crisis, from the expedited grant to the circle's judgement of its decisions. */
class CrisisStory {
  private current: Crisis | null = null;
  private readonly holder: MemberKey;

  constructor(
    private readonly history: History,
    days: number,
    grant: DemoGrant,
  ) {
    this.holder = grant.holder;
    const { circleIds, memberIds, daysAgo } = history.cast;
    history.at(days, async ({ ctx, org, as }) => {
      this.current = await grantCrisisAuthority(ctx, org, await as(grant.grantedBy[0]), {
        circleId: circleIds[grant.circle],
        holderId: memberIds[grant.holder],
        scope: grant.scope,
        endsAt: daysAgo(days - grant.lastingDays),
        grant: { by: "expedited", grantedBy: [memberIds[grant.grantedBy[0]], memberIds[grant.grantedBy[1]]] },
      });
    });
  }

  private step(
    days: number,
    by: MemberKey,
    command: (act: Act, viewer: Viewer, crisis: Crisis) => Promise<{ crisis: Crisis }>,
  ) {
    this.history.at(days, async (act) => {
      if (!this.current) throw new Error("A crisis's story starts with its grant");
      this.current = (await command(act, await act.as(by), this.current)).crisis;
    });
    return this;
  }

  /** The holder decides alone, within the scope. */
  decide(days: number, text: string) {
    return this.step(days, this.holder, ({ ctx, org }, viewer, crisis) =>
      recordDecision(ctx, org, viewer, crisis.id, text),
    );
  }

  ratify(days: number, by: MemberKey, consent: ProposalStory) {
    return this.step(days, by, ({ ctx, org }, viewer, crisis) =>
      ratifyCrisis(ctx, org, viewer, crisis.id, consent.id),
    );
  }

  /** The holder hands the authority back before its end. */
  release(days: number) {
    return this.step(days, this.holder, ({ ctx, org }, viewer, crisis) =>
      releaseCrisis(ctx, org, viewer, crisis.id),
    );
  }

  /** Records the circle's consent on the crisis decision recorded `decision`-th (from 0). */
  judge(
    days: number,
    by: MemberKey,
    decision: number,
    outcome: "ratified" | "revoked",
    consent: ProposalStory,
  ) {
    return this.step(days, by, ({ ctx, org }, viewer, crisis) => {
      const judged = crisis.decisions[decision];
      if (!judged) throw new Error(`The crisis has no decision ${decision}`);
      return resolveDecision(ctx, org, viewer, crisis.id, {
        decisionId: judged.id,
        outcome,
        proposalId: consent.id,
      });
    });
  }
}

const ARTISTIC: readonly MemberKey[] = [
  "maya",
  "tomas",
  "aiko",
  "jonas",
  "priya",
  "leah",
  "daniel",
  "giulia",
  "elias",
];
const OPERATIONS: readonly MemberKey[] = ["ruth", "oskar", "amara", "samuel", "henrik", "chloe", "noor"];

/**
 * The leadership lifecycle of the orchestra's year: the Council elects its secretary and, six months on,
 * is taking nominations for the next term; Artistic Planning gives crisis authority when the gala's
 * soloist cancels and judges its decisions afterwards, while Operations holds crisis authority now,
 * for a flooded rehearsal hall; the concertmaster is handed on once by consent, and then, once the
 * circle has chosen it, automatically. Each step comes after the structure it needs.
 */
export function lifecycleHistory(cast: DemoCast): DemoStep[] {
  const history = new History(cast);
  secretaryElections(history);
  galaCrisis(history);
  floodedHall(history);
  concertmasterRotations(history);
  return history.steps;
}

/** The Council's secretary: Chloé's successor elected six months ago, and the next term's nominations open now. */
function secretaryElections(history: History) {
  const { daysAgo } = history.cast;
  // Facilitated by Leah; one nominator changes their nomination after hearing the reasons.
  new ElectionStory(history, 178, "leah", "secretary")
    .advance(177.9, "leah", { to: "qualifying", termDays: 180 })
    .advance(177.8, "leah", {
      to: "nominating",
      qualifications: [
        "Writes clear minutes within a week of each meeting",
        "Keeps the decision records where every circle can find them",
      ],
      deadline: daysAgo(175.8),
    })
    .nominate(
      177.5,
      "chloe",
      "fatima",
      "Fatima asked to learn the role, and she listens for what was decided.",
    )
    .nominate(177.4, "samuel", "fatima", "Her notes from the budget meeting are the ones we all used.")
    .nominate(177.2, "ruth", "daniel", "Daniel writes our programme notes: clearly, and on time.")
    .nominate(177, "maya", "fatima", "She facilitated this Council for five months and knows its records.")
    .nominate(176.9, "tomas", "daniel", "He has the time this season, and he writes well.")
    .nominate(176.7, "daniel", "chloe", "Chloé built the decision records; a second term would settle them.")
    .nominate(176.5, "amara", "fatima", "Her minutes of the tour meeting were the only ones anyone read.")
    .nominate(176.3, "fatima", "daniel", "Daniel writes better than any of us.")
    .nominate(176.2, "leah", "fatima", "She wants the role and has shown she can hold the thread.")
    .advance(175.8, "leah", { to: "changing", deadline: daysAgo(174.8) })
    .nominate(
      175.5,
      "ruth",
      "fatima",
      "Having heard that Fatima asked for the role, and that her notes are the ones we use: Fatima.",
    )
    .advance(174.9, "leah", { to: "proposing" })
    .propose(
      174.8,
      "leah",
      "fatima",
      "The strongest reasons: she asked to learn the role, her notes are already the ones the Council " +
        "works from, and she facilitated the Council and knows its records.",
    )
    .advance(174.7, "leah", { to: "consent_round", deadline: daysAgo(171.7) })
    .consentFrom(174.6, ["leah", "maya", "samuel", "ruth"])
    .respond(174, "chloe", {
      kind: "consent_with_concern",
      concern: "I hand over the records in the middle of the season: give us a week side by side.",
    })
    .consentFrom(173.8, ["daniel", "tomas", "amara"])
    // The nominee answers last; her answer closes the round and hands her the role.
    .respond(173, "fatima", { kind: "consent" });

  // Fatima's term ends in a week: Maya, facilitating the Council now, has opened the next selection.
  new ElectionStory(history, 4, "maya", "secretary")
    .advance(3.95, "maya", { to: "qualifying", termDays: 180 })
    .advance(3.9, "maya", { to: "nominating", deadline: daysAgo(-3) })
    .nominate(3.5, "samuel", "fatima", "The records have never been in better order: a second term.")
    .nominate(2.8, "henrik", "daniel", "Daniel asked for a role with less travel, and he writes well.")
    .nominate(1.2, "giulia", "fatima", "Her minutes are the ones the Outreach committee reads.");
}

/** Artistic Planning: two days before the gala its soloist cancels. */
function galaCrisis(history: History) {
  const crisis = new CrisisStory(history, 150, {
    circle: "artistic",
    holder: "maya",
    scope:
      "Soloist cancelled two days before the gala.\n" +
      "Find and engage a replacement soloist for Saturday's gala, change the programme if the new " +
      "soloist needs it, and tell the audience, the hall and the press. Fees up to €8,000 from the " +
      "gala budget.",
    lastingDays: 5,
    grantedBy: ["giulia", "tomas"],
  }).decide(
    149.9,
    "Engaged Clara Ostrowski to play the Mendelssohn Violin Concerto at the gala in place of the " +
      "cancelled soloist, for a fee of €6,500.",
  );

  // The expedited grant is ratified by consent well within its 72 hours.
  const ratification = history
    .proposal(149.8, "giulia", {
      circle: "artistic",
      title: "Ratify Maya's crisis authority for the gala",
      text:
        "Artistic Planning ratifies the crisis authority Giulia and Tomás granted Maya by the expedited " +
        "rule: to replace the gala's soloist, for five days, with fees up to €8,000.",
    })
    .present(149.75, "giulia")
    .advance(149.7, "giulia", "clarifying")
    .advance(149.6, "giulia", "reactions")
    .react(149.55, "leah", "Thank you, Maya. Clara is a good choice.")
    .advance(149.4, "giulia", "consent_round", 2)
    .consentFrom(149.3, ARTISTIC);
  crisis
    .decide(
      149,
      "Offered Clara Ostrowski next season's opening concert too, so that she keeps the date for the orchestra.",
    )
    .ratify(148.2, "giulia", ratification)
    // The gala was played; Maya hands the authority back before its end.
    .release(147.5);

  // Afterwards the circle judges each decision by consent: one ratified, one revoked.
  const review = history
    .proposal(145, "leah", {
      circle: "artistic",
      title: "The gala's crisis decisions",
      text:
        "Ratify: engaging Clara Ostrowski for the gala at €6,500.\n" +
        "Revoke: the offer of next season's opening concert. Next season's soloists are chosen with its " +
        "repertoire, by this circle; Maya writes to Clara that the offer is withdrawn, with our thanks.",
    })
    .present(144.9, "leah")
    .advance(144, "giulia", "clarifying")
    .ask(143.9, "priya", "Has Clara accepted the opening concert already?")
    .answer(143.7, "leah", "priya", "Not yet: Maya asked her to keep the date, and nothing is signed.")
    .advance(143, "giulia", "reactions")
    .react(142.9, "maya", "Fair: the offer went beyond the gala.")
    .advance(142.5, "giulia", "consent_round", 7)
    .consentFrom(142.3, ARTISTIC);
  crisis.judge(141, "giulia", 0, "ratified", review).judge(140.95, "giulia", 1, "revoked", review);
}

/** Operations, now: a burst pipe has flooded the rehearsal hall, and Amara holds crisis authority for four days. */
function floodedHall(history: History) {
  const crisis = new CrisisStory(history, 1.5, {
    circle: "operations",
    holder: "amara",
    scope:
      "Hall flooding: rehearsal venue.\n" +
      "A burst pipe has flooded the rehearsal hall. Find rooms for this week's rehearsals, move the " +
      "instruments and the library out of harm's way, and deal with the landlord and the insurer. " +
      "Costs up to €3,000.",
    lastingDays: 4,
    grantedBy: ["chloe", "ruth"],
  }).decide(1.45, "Rehearsals until Friday move to St. Mark's church hall, booked at €400 a day.");

  const ratification = history
    .proposal(1.4, "ruth", {
      circle: "operations",
      title: "Ratify Amara's crisis authority for the flooded hall",
      text:
        "Operations ratifies the crisis authority Chloé and Ruth granted Amara by the expedited rule: " +
        "rehearsal rooms, the instruments and the library, the landlord and the insurer, for four days, " +
        "with costs up to €3,000.",
    })
    .present(1.38, "ruth")
    .advance(1.35, "chloe", "clarifying")
    .advance(1.3, "chloe", "reactions")
    .advance(1.25, "chloe", "consent_round", 2)
    .consentFrom(1.2, OPERATIONS);
  crisis
    .ratify(0.4, "chloe", ratification)
    .decide(0.3, "The timpani and the double basses wait in the Operations store until the hall is dry.");
}

/**
 * The concertmaster: Aiko proposes the spring programme's handover to the top of the ranking (Jonas)
 * and the circle consents; then the circle chooses automatic rotation, and the next programme's
 * concertmaster is the ranking's choice without a round (Elias, who never led and shadowed Jonas).
 */
function concertmasterRotations(history: History) {
  const concertmaster = history.roleId("concertmaster");
  history
    .proposalFrom(84, "aiko", ({ ctx, org }, viewer) =>
      rotateRole(ctx, org, viewer, concertmaster, {
        mode: "consent",
        startsAt: history.cast.daysAgo(78),
        note: "For the spring programme: Dumbarton Oaks and the Farewell Symphony.",
      }).then((rotation) => {
        if (rotation.mode !== "consent") throw new Error("A rotation by consent drafts a proposal");
        return rotation.proposal;
      }),
    )
    .present(83.9, "aiko")
    .advance(83.5, "giulia", "clarifying")
    .ask(83.4, "tomas", "Who sits beside Jonas to learn the role?")
    .answer(83.2, "aiko", "tomas", "Elias: he asked to lead from the first desk.")
    .advance(83, "giulia", "reactions")
    .advance(82.6, "giulia", "consent_round", 4)
    .consentFrom(82.5, ARTISTIC);

  history
    .proposal(62, "tomas", {
      circle: "artistic",
      title: "Hand the concertmaster role on automatically",
      text:
        "At the start of each programme the concertmaster role passes to the top of the rotation " +
        "ranking, without a consent round.\n" +
        "The ranking's reasons are published with each handover, and anyone in the circle may still ask " +
        "for a round instead.",
    })
    .present(61.9, "tomas")
    .advance(61, "giulia", "clarifying")
    .advance(60, "giulia", "reactions")
    .react(59.9, "jonas", "Yes: the last handover took a week of rounds for the choice the ranking had made.")
    .advance(59.5, "giulia", "consent_round", 5)
    .consentFrom(59.4, ARTISTIC);
  history.at(58, async ({ ctx, org, as }) => {
    await updateRole(ctx, org.id, await as("giulia"), concertmaster, { rotationMode: "automatic" });
  });
  history.at(23, async ({ ctx, org, as }) => {
    await rotateRole(ctx, org, await as("aiko"), concertmaster, {
      startsAt: history.cast.daysAgo(22),
      note: "Elias shadowed the spring programme; he leads the next one.",
    });
  });
}
