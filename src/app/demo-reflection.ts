import type { Viewer } from "../core/access.js";
import type { AppreciationSubjectKind } from "../core/appreciation.js";
import type { CyclePhase } from "../core/cycles.js";
import type { MeetingRound } from "../core/meetings.js";
import { giveAppreciation } from "./appreciations.js";
import { createCalendarFeed } from "./calendar.js";
import { publishAdvice } from "./communities.js";
import {
  addCycleEntry,
  addCycleLesson,
  advanceCyclePhase,
  closeReflectionCycle,
  proposeLesson,
  startCycle,
} from "./cycles.js";
import type { CircleKey, DemoStep, MemberKey } from "./demo.js";
import { type Act, type DemoCast, History, HOUR, type ProposalStory } from "./demo-governance.js";
import { answerReview, draftImprovementPlan, requestReview } from "./feedback.js";
import {
  closeCircleMeeting,
  evaluateCircleMeeting,
  markMeetingAttendance,
  openCircleMeeting,
  recordMeetingMinutes,
  type ScheduleMeetingInput,
  scheduleCircleMeeting,
  speakInMeetingRound,
} from "./meetings.js";
import { addCheckIn, beginMentorship, finishMentorship } from "./mentorships.js";
import { readProposal } from "./proposals/commands.js";
import { askRotaSwap, settleRotaSwap, skipRotaTurn, startRota, takeRotaTurn } from "./rotas.js";

const MINUTE = HOUR / 60;

/** The id of a record one step of the history makes and later steps act on. */
class Made {
  private value: string | null = null;

  constructor(private readonly what: string) {}

  set(id: string) {
    this.value = id;
  }

  get id(): string {
    if (this.value === null) throw new Error(`${this.what} has not been made yet`);
    return this.value;
  }
}

/** A proposal the earlier history made (demo-governance.ts), found as a member finds it: by its title. */
async function proposalTitled({ ctx, org }: Act, title: string) {
  const { rows } = await ctx.db.query<{ id: string }>(
    "SELECT id FROM proposals WHERE org_id = $1 AND title = $2",
    [org.id, title],
  );
  if (!rows[0]) throw new Error(`The demo has no proposal "${title}"`);
  return rows[0].id;
}

/** One meeting of a circle, from its calling to its evaluations, told step by step. */
class MeetingStory {
  private readonly meeting = new Made("The meeting");

  constructor(
    private readonly history: History,
    days: number,
    convener: MemberKey,
    circle: CircleKey,
    details: (act: Act) => Promise<Omit<ScheduleMeetingInput, "circleId">>,
  ) {
    history.at(days, async (act) => {
      const input = { ...(await details(act)), circleId: history.cast.circleIds[circle] };
      this.meeting.set((await scheduleCircleMeeting(act.ctx, act.org, await act.as(convener), input)).id);
    });
  }

  private step(
    days: number,
    by: MemberKey,
    command: (act: Act, viewer: Viewer, id: string) => Promise<unknown>,
  ) {
    this.history.at(days, async (act) => {
      await command(act, await act.as(by), this.meeting.id);
    });
    return this;
  }

  open(days: number, by: MemberKey) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => openCircleMeeting(ctx, org, viewer, id));
  }

  /** Each speaks in the round in turn, a couple of minutes apart; speaking marks them present. */
  round(days: number, round: MeetingRound, entries: readonly [MemberKey, string][]) {
    entries.forEach(([member, text], i) => {
      this.step(days - 2 * i * MINUTE, member, ({ ctx, org }, viewer, id) =>
        speakInMeetingRound(ctx, org, viewer, id, round, text),
      );
    });
    return this;
  }

  attendance(days: number, by: MemberKey, member: MemberKey, present: boolean) {
    const memberId = this.history.cast.memberIds[member];
    return this.step(days, by, ({ ctx, org }, viewer, id) =>
      markMeetingAttendance(ctx, org, viewer, id, { memberId, present }),
    );
  }

  close(days: number, by: MemberKey) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => closeCircleMeeting(ctx, org, viewer, id));
  }

  minutes(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, id) =>
      recordMeetingMinutes(ctx, org, viewer, id, text),
    );
  }

  /** Attendees rate the meeting in turn, an hour or so apart. */
  evaluations(days: number, entries: readonly [MemberKey, number, string][]) {
    entries.forEach(([member, rating, comment], i) => {
      this.step(days - i * HOUR, member, ({ ctx, org }, viewer, id) =>
        evaluateCircleMeeting(ctx, org, viewer, id, { rating, comment }),
      );
    });
    return this;
  }
}

/** One plan-act-observe-reflect cycle, told step by step; lessons are named to start proposals from. */
class CycleStory {
  readonly cycle = new Made("The cycle");
  private readonly lessons = new Map<string, Made>();

  constructor(
    private readonly history: History,
    days: number,
    open: (act: Act) => Promise<string>,
  ) {
    history.at(days, async (act) => this.cycle.set(await open(act)));
  }

  private step(
    days: number,
    by: MemberKey,
    command: (act: Act, viewer: Viewer, id: string) => Promise<unknown>,
  ) {
    this.history.at(days, async (act) => {
      await command(act, await act.as(by), this.cycle.id);
    });
    return this;
  }

  entry(days: number, by: MemberKey, text: string) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => addCycleEntry(ctx, org, viewer, id, text));
  }

  advance(days: number, by: MemberKey, to: CyclePhase) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => advanceCyclePhase(ctx, org, viewer, id, to));
  }

  /** A lesson; `name` keeps it to start a proposal from later. */
  lesson(days: number, by: MemberKey, text: string, name?: string) {
    const made = new Made(`The lesson ${name}`);
    if (name) this.lessons.set(name, made);
    return this.step(days, by, async ({ ctx, org }, viewer, id) => {
      const cycle = await addCycleLesson(ctx, org, viewer, id, text);
      made.set(cycle.lessons.at(-1)?.id as string);
    });
  }

  close(days: number, by: MemberKey) {
    return this.step(days, by, ({ ctx, org }, viewer, id) => closeReflectionCycle(ctx, org, viewer, id));
  }

  /** The lesson named starts a proposal in the cycle's circle, told on from there like any other. */
  propose(days: number, by: MemberKey, name: string, title: string): ProposalStory {
    const lesson = this.lessons.get(name);
    if (!lesson) throw new Error(`The cycle has no lesson ${name}`);
    return this.history.proposalFrom(days, by, async ({ ctx, org }, viewer) => {
      const { proposalId } = await proposeLesson(ctx, org, viewer, this.cycle.id, lesson.id, { title });
      return (await readProposal(ctx, org, viewer, proposalId)).proposal;
    });
  }
}

type Subject = { kind: AppreciationSubjectKind; id: string };

/** Thanks from one member to others, tied to a role, proposal or cycle when `subject` names one. */
function appreciate(
  history: History,
  days: number,
  from: MemberKey,
  to: readonly MemberKey[],
  text: string,
  subject?: (act: Act) => Subject | Promise<Subject>,
) {
  history.at(days, async (act) => {
    await giveAppreciation(act.ctx, act.org, await act.as(from), {
      memberIds: to.map((member) => history.cast.memberIds[member]),
      text,
      subject: subject && (await subject(act)),
    });
  });
}

const OUTREACH: readonly MemberKey[] = ["ines", "aiko", "giulia", "priya", "elias", "beatriz"];

/**
 * How the orchestra works together between its decisions: the circles' meetings (one next week), the
 * meeting host's rota, two mentorships, a workshop pilot and the gala crisis reflected on in cycles, the
 * secretary's performance review, the Strings community's advice, and the thanks people give each
 * other. Each step comes after the structure and the governance it refers to.
 */
export function reflectionHistory(cast: DemoCast): DemoStep[] {
  const history = new History(cast);
  galaAftermath(history);
  workshopPilot(history);
  meetingHostRota(history);
  seatingRotaMeeting(history);
  mentorships(history);
  stringsAdvice(history);
  secretaryReview(history);
  councilMeetings(history);
  appreciate(history, 21, "tomas", ["jonas"], "The spring programme held together because you did.", () => ({
    kind: "role",
    id: history.roleId("concertmaster"),
  }));
  return history.steps;
}

/**
 * Artistic Planning meets after the gala: the crisis decisions go to reactions, and the reflection the
 * end of Maya's crisis authority opened is carried through to its lessons and closed.
 */
function galaAftermath(history: History) {
  const { orgId, circleIds } = history.cast;
  new MeetingStory(history, 144.85, "giulia", "artistic", async (act) => ({
    title: "Artistic Planning after the gala",
    startsAt: history.cast.daysAgo(143.05),
    endsAt: history.cast.daysAgo(142.85),
    location: "Rehearsal hall, green room",
    agenda: [
      { kind: "report", title: "The gala", notes: "Maya on the evening and on what she decided alone." },
      {
        kind: "proposal",
        proposalId: await proposalTitled(act, "The gala's crisis decisions"),
        title: "The gala's crisis decisions",
        notes: "Reactions today; the consent round before the end of the week.",
      },
      { kind: "open_item", title: "Reflection on the gala crisis", notes: "What we saw, and the lessons." },
    ],
  }))
    .open(143.05, "giulia")
    .round(143.049, "checkIn", [
      ["giulia", "Still hearing the Mendelssohn. Glad we are here to look back at it calmly."],
      ["maya", "Relieved, and ready to hear where I went too far."],
      ["leah", "Proud of how we played, with two days' notice."],
      ["priya", "Curious about the reflection: it is our first on a crisis."],
      ["tomas", "Tired, happy."],
      ["daniel", "Fine, and short of time: I leave at six."],
    ])
    .attendance(143.03, "giulia", "elias", false)
    .round(142.865, "checkOut", [
      ["maya", "Lighter than when I came in."],
      ["leah", "Good lessons; let us keep the soloist list alive."],
      ["priya", "Clear on the round next week."],
    ])
    .close(142.85, "giulia")
    .minutes(
      142.8,
      "giulia",
      "The gala: sold out; Clara Ostrowski's Mendelssohn was the evening.\n" +
        "The gala's crisis decisions: in reactions; Maya agrees the offer of the opening concert went beyond " +
        "the gala. The consent round opens this week.\n" +
        "Reflection on the gala crisis: observed and reflected; two lessons drawn and the cycle closed.",
    )
    .evaluations(142.7, [
      ["maya", 5, "Honest, and kind with it."],
      ["leah", 4, "Long, but we reached the lessons."],
      ["priya", 4, ""],
    ]);

  // Opened by the app when Maya handed the authority back (crises.ts); the circle carries it on.
  const reflection = new CycleStory(history, 143.025, async ({ ctx }) => {
    const { rows } = await ctx.db.query<{ id: string }>(
      "SELECT id FROM cycles WHERE org_id = $1 AND circle_id = $2 AND crisis_id IS NOT NULL",
      [orgId, circleIds.artistic],
    );
    if (rows.length !== 1) throw new Error("The end of the gala crisis opened no reflection cycle");
    return (rows[0] as { id: string }).id;
  })
    .entry(
      143.02,
      "leah",
      "The gala sold out and the press wrote about Clara, not about the cancellation. Rehearsing with a " +
        "new soloist in one afternoon worked because the concertmaster had the bowings ready.",
    )
    .entry(
      143.01,
      "priya",
      "The offer of next season's opening concert went beyond the scope, and nobody asked about it until " +
        "the decisions were reviewed.",
    )
    .advance(143, "giulia", "reflect")
    .lesson(
      142.99,
      "maya",
      "Keep a short list of soloists who could step in at two days' notice, with their fees.",
    )
    .lesson(
      142.98,
      "leah",
      "Write into a crisis scope what it does not cover: next season's plans stay with the circle.",
    )
    .close(142.97, "giulia");
  appreciate(
    history,
    142.75,
    "maya",
    ["giulia", "priya", "leah"],
    "For a reflection honest enough to say that my offer to Clara went too far.",
    () => ({ kind: "cycle", id: reflection.cycle.id }),
  );
  appreciate(
    history,
    147.4,
    "leah",
    ["maya"],
    "Two days, a new soloist, and the authority handed back the morning after the gala. Thank you.",
  );
}

/** Education Outreach runs its workshop pilot as a cycle; one lesson becomes a proposal the committee adopts. */
function workshopPilot(history: History) {
  const pilot = new CycleStory(history, 115, async ({ ctx, org, as }) => {
    const cycle = await startCycle(ctx, org, await as("ines"), {
      circleId: history.cast.circleIds.outreach,
      title: "Workshop pilot at Riverside Primary",
    });
    return cycle.id;
  })
    .entry(
      114.9,
      "ines",
      "Three workshops of ninety minutes with the two year-5 classes: a warm-up by ear, a short piece " +
        "learnt without a conductor, then the children lead it in turn.",
    )
    .entry(
      114.8,
      "aiko",
      "Aiko and Elias take the first workshop, Giulia and Priya the second, Inés the third.",
    )
    .advance(108, "giulia", "act")
    .entry(
      107.9,
      "aiko",
      "First workshop: 52 children. The warm-up ran long; the children loved giving the upbeat.",
    )
    .entry(100, "giulia", "Second workshop: Priya's violin and my clarinet. The class asked about every key.")
    .entry(93, "ines", "Third workshop: the class led a round of the piece with a new leader for each verse.")
    .advance(92, "ines", "observe")
    .entry(
      91,
      "priya",
      "The teachers' forms: all three workshops rated useful; both teachers want a second term. The wind " +
        "pairing drew the most questions.",
    )
    .entry(84, "beatriz", "The school asked for the piece's part for the recorder group.")
    .advance(72, "ines", "reflect")
    .lesson(
      71.9,
      "ines",
      "Children follow a leader who changes as readily as we do, once they have seen it done.",
    )
    .lesson(
      71.8,
      "giulia",
      "Every workshop is led by a mixed pair: one string player and one wind player. The children hear " +
        "two families of instruments and see two people lead.",
      "mixedPairs",
    )
    .close(71.5, "ines");

  pilot
    .propose(70, "giulia", "mixedPairs", "Mixed string and wind pairs lead every workshop")
    .present(69.9, "giulia")
    .advance(69, "giulia", "clarifying")
    .advance(68, "giulia", "reactions")
    .react(
      67.9,
      "beatriz",
      "I am the only wind player here: we will need Daniel and Fatima on weekday mornings.",
    )
    .advance(67.5, "giulia", "consent_round", 5)
    .consentFrom(67.4, OUTREACH);
  appreciate(
    history,
    71.4,
    "ines",
    ["aiko", "giulia", "priya", "elias", "beatriz"],
    "Fifty-two children leading an orchestra. Thank you for the pilot, and for writing down what we saw.",
    () => ({ kind: "cycle", id: pilot.cycle.id }),
  );
}

/**
 * Artistic Planning's meeting host changes every four weeks by a rota: Tomás skips his turn in a
 * recording week, and Priya and Elias swap theirs, so Priya hosts now.
 */
function meetingHostRota(history: History) {
  const rota = new Made("The rota");
  const { memberIds } = history.cast;
  history.at(96, async ({ ctx, org, as }) => {
    const started = await startRota(ctx, org, await as("giulia"), {
      roleId: history.roleId("meetingHost"),
      order: (["leah", "tomas", "aiko", "priya", "elias", "jonas"] as const).map((m) => memberIds[m]),
    });
    rota.set(started.id);
  });
  const turn = (days: number, by: MemberKey, command: typeof takeRotaTurn) =>
    history.at(days, async ({ ctx, org, as }) => {
      await command(ctx, org, await as(by), rota.id);
    });
  turn(95, "leah", takeRotaTurn);
  turn(67.05, "tomas", skipRotaTurn);
  turn(67, "aiko", takeRotaTurn);
  const swap = new Made("The swap");
  history.at(45, async ({ ctx, org, as }) => {
    const asked = await askRotaSwap(ctx, org, await as("priya"), rota.id, memberIds.elias);
    swap.set(asked.swaps.at(-1)?.id as string);
  });
  history.at(44.8, async ({ ctx, org, as }) => {
    await settleRotaSwap(ctx, org, await as("elias"), rota.id, swap.id, "accept");
  });
  turn(39, "elias", takeRotaTurn);
  turn(11, "priya", takeRotaTurn);
}

/** Artistic Planning meets as the seating rota is being clarified; Leah, the host then, calls it. */
function seatingRotaMeeting(history: History) {
  new MeetingStory(history, 81.85, "leah", "artistic", async (act) => ({
    title: "Artistic Planning",
    startsAt: history.cast.daysAgo(81.05),
    endsAt: history.cast.daysAgo(80.9),
    location: "Rehearsal hall, green room",
    agenda: [
      {
        kind: "proposal",
        proposalId: await proposalTitled(act, "Seating rota for the string section"),
        title: "Seating rota for the string section",
        notes: "Clarifying questions.",
      },
      { kind: "report", title: "Meeting host rota", notes: "Leah hosts this month; Tomás is next." },
    ],
  }))
    .open(81.05, "giulia")
    .round(81.049, "checkIn", [
      ["leah", "Hosting for the first time: the tea is on the left."],
      ["aiko", "Sceptical about the seating rota, and open to being persuaded."],
      ["jonas", "Fresh from the sectional."],
      ["elias", "Nervous: my first meeting with a question of my own."],
      ["maya", "Here, and listening."],
    ])
    .round(80.905, "checkOut", [
      ["aiko", "My question was answered; the rest goes to the round."],
      ["elias", "I asked it."],
    ])
    .close(80.9, "giulia")
    .minutes(
      80.85,
      "giulia",
      "Seating rota for the string section: clarifying questions; the second violins are in the rota too. " +
        "Reactions open tomorrow.\nMeeting host rota: Leah hosts this month; Tomás is next.",
    )
    .evaluations(80.6, [
      ["elias", 5, "The first meeting where I asked something."],
      ["aiko", 3, "We ran out of time before the rota report."],
      ["leah", 4, ""],
    ]);
  appreciate(
    history,
    74,
    "leah",
    ["aiko"],
    "Your objection gave the seating rota its three-month review; it is a better decision for it.",
    async (act) => ({
      kind: "proposal",
      id: await proposalTitled(act, "Seating rota for the string section"),
    }),
  );
}

/** Tomás mentors Elias towards the first desk; Leah mentored Noor in leading the violas until a month ago. */
function mentorships(history: History) {
  const pairing = (
    days: number,
    startedBy: MemberKey,
    pair: { mentor: MemberKey; mentee: MemberKey; skills: string[]; goals: string[] },
  ) => {
    const mentorship = new Made("The mentorship");
    const { memberIds } = history.cast;
    history.at(days, async ({ ctx, org, as }) => {
      const started = await beginMentorship(ctx, org, await as(startedBy), {
        mentorId: memberIds[pair.mentor],
        menteeId: memberIds[pair.mentee],
        skills: pair.skills,
        goals: pair.goals,
      });
      mentorship.set(started.id);
    });
    const story = {
      checkIn(at: number, by: MemberKey, text: string) {
        history.at(at, async ({ ctx, org, as }) => {
          await addCheckIn(ctx, org, await as(by), mentorship.id, text);
        });
        return story;
      },
      end(at: number, by: MemberKey) {
        history.at(at, async ({ ctx, org, as }) => {
          await finishMentorship(ctx, org, await as(by), mentorship.id);
        });
        return story;
      },
    };
    return story;
  };

  pairing(185, "elias", {
    mentor: "tomas",
    mentee: "elias",
    skills: ["violin", "leading from the first desk"],
    goals: [
      "Lead a programme as concertmaster",
      "Agree the bowings with the principals before the first rehearsal",
    ],
  })
    .checkIn(160, "tomas", "Went through the Mozart bowings desk by desk; Elias marked them himself.")
    .checkIn(
      120,
      "elias",
      "Led the sectional for the first time. Too fast at the start; better after the break.",
    )
    .checkIn(79, "elias", "Sitting beside Jonas this programme: watching when he breathes before the upbeat.")
    .checkIn(
      20,
      "tomas",
      "Elias leads the current programme. We meet after each rehearsal, for ten minutes.",
    );

  pairing(140, "leah", {
    mentor: "leah",
    mentee: "noor",
    skills: ["viola"],
    goals: ["Lead a viola sectional"],
  })
    .checkIn(115, "noor", "Practised the Stravinsky passages with Leah's fingerings.")
    .checkIn(75, "leah", "Noor led the viola sectional for the spring programme, calmly and on time.")
    .end(30, "noor");
}

/** The Strings community publishes advice to the circles its practice touches. */
function stringsAdvice(history: History) {
  const { circleIds } = history.cast;
  const advise = (days: number, by: MemberKey, circle: CircleKey, text: string) =>
    history.at(days, async ({ ctx, org, as }) => {
      await publishAdvice(ctx, org, await as(by), circleIds.strings, { circleId: circleIds[circle], text });
    });
  advise(
    72,
    "leah",
    "artistic",
    "Mark the bowings in the library parts before the first rehearsal of each programme, so that new " +
      "desk partners start from the same page. The Strings sectional can do it in an hour.",
  );
  advise(
    50,
    "chloe",
    "outreach",
    "In the workshops, let the children draw a bow across the open strings before anything else: it is " +
      "the sound they remember. We can lend two practice instruments.",
  );
}

/**
 * Fatima asks for feedback on her term as secretary before the next election, and the review group
 * adopts her improvement plan by consent.
 */
function secretaryReview(history: History) {
  const { memberIds } = history.cast;
  const review = new Made("The review");
  history.at(30, async ({ ctx, org, as }) => {
    const { rows } = await ctx.db.query<{ id: string }>(
      `SELECT id FROM assignments WHERE org_id = $1 AND role_id = $2 AND member_id = $3 AND NOT shadow
       ORDER BY starts_at DESC LIMIT 1`,
      [org.id, history.roleId("secretary"), memberIds.fatima],
    );
    const requested = await requestReview(ctx, org, await as("fatima"), {
      assignmentId: (rows[0] as { id: string }).id,
      reviewerIds: [memberIds.maya, memberIds.samuel, memberIds.chloe],
      note: "My term ends next month and I may stand again: what should I keep doing, and what should change?",
    });
    review.set(requested.review.id);
  });
  const answer = (days: number, by: MemberKey, text: string) =>
    history.at(days, async ({ ctx, org, as }) => {
      await answerReview(ctx, org, await as(by), review.id, text);
    });
  answer(
    28.5,
    "samuel",
    "The decision records are the best they have been. The minutes arrive late: a week after the meeting.",
  );
  answer(27.8, "chloe", "Keep the index of decisions. Send the agenda earlier, with the proposals linked.");
  answer(
    27,
    "maya",
    "You hear what was decided, not what was said. Say so when a meeting ends without a decision.",
  );

  history
    .proposalFrom(25, "fatima", async ({ ctx, org }, viewer) => {
      const { proposalId } = await draftImprovementPlan(ctx, org, viewer, review.id, {
        title: "Secretary: improvement plan for the next term",
        text:
          "Minutes go out within three days of each meeting.\n" +
          "The agenda goes out a week ahead, each proposal linked.\n" +
          "The minutes say when an item ended without a decision.",
      });
      return (await readProposal(ctx, org, viewer, proposalId)).proposal;
    })
    .present(24.9, "fatima")
    .advance(24.5, "maya", "clarifying")
    .advance(24.4, "maya", "reactions")
    .openRoundAmong(24.3, "maya", ["fatima", "maya", "samuel", "chloe"], 3)
    .consentFrom(24.2, ["maya", "samuel", "chloe", "fatima"]);
  appreciate(history, 20, "samuel", ["fatima"], "A term of minutes we could find and trust.", () => ({
    kind: "role",
    id: history.roleId("secretary"),
  }));
}

/** The Council met as the reserve fund was clarified, and meets next week on the secretary's election. */
function councilMeetings(history: History) {
  const { daysAgo } = history.cast;
  new MeetingStory(history, 11.85, "maya", "council", async (act) => ({
    title: "Orchestra Council",
    startsAt: daysAgo(11.05),
    endsAt: daysAgo(10.9),
    location: "Office, first floor",
    agenda: [
      {
        kind: "proposal",
        proposalId: await proposalTitled(act, "A reserve fund from every concert fee"),
        title: "A reserve fund from every concert fee",
        notes: "Clarifying questions.",
      },
      { kind: "report", title: "The budget to date", notes: "Ruth." },
      {
        kind: "report",
        title: "The decision records",
        notes: "Fatima: where to find this season's decisions.",
      },
      { kind: "open_item", title: "The secretary's term ends this month" },
    ],
  }))
    .open(11.05, "maya")
    .round(11.049, "checkIn", [
      ["maya", "Glad to see everyone in one room."],
      ["ruth", "Numbers ready; good news and less good news."],
      ["samuel", "Here for the reserve fund."],
      ["fatima", "Taking notes, as ever."],
      ["leah", "Jet-lagged but present."],
      ["chloe", "One question about the reserve fund."],
      ["henrik", "Learning the budget from Ruth: listening today."],
    ])
    .attendance(11.03, "maya", "daniel", false)
    .round(10.905, "checkOut", [
      ["ruth", "Clearer than I expected."],
      ["fatima", "Minutes by Friday."],
      ["henrik", "I understood the budget, mostly."],
    ])
    .close(10.9, "maya")
    .minutes(
      10.85,
      "maya",
      "A reserve fund from every concert fee: clarifying questions; Chloé's question goes in writing.\n" +
        "The budget to date: on track, with the cancelled autumn tour's deposit still to recover.\n" +
        "The decision records: the index is on the Council's page.\n" +
        "The secretary's term: Maya opens the selection ten days before it ends.",
    )
    .evaluations(10.6, [
      ["ruth", 4, "Ended on time."],
      ["samuel", 5, ""],
      ["fatima", 4, "Good to hear the budget before the round."],
      ["henrik", 4, ""],
    ]);
  appreciate(
    history,
    10.55,
    "ruth",
    ["maya"],
    "The Council meeting ended on time with every report heard.",
    () => ({ kind: "role", id: history.roleId("facilitator:council") }),
  );

  new MeetingStory(history, 3.8, "maya", "council", async ({ ctx, org }) => {
    const { rows } = await ctx.db.query<{ id: string }>(
      "SELECT id FROM selections WHERE org_id = $1 AND role_id = $2 AND state = 'nominating'",
      [org.id, history.roleId("secretary")],
    );
    return {
      title: "Orchestra Council",
      startsAt: daysAgo(-6.75),
      endsAt: daysAgo(-6.85),
      location: "Office, first floor",
      agenda: [
        {
          kind: "selection",
          selectionId: (rows[0] as { id: string }).id,
          title: "Secretary for the next term",
          notes: "The nominations revealed, then the consent round on the proposed nominee.",
        },
        { kind: "report", title: "The flooded hall", notes: "Amara: the costs and the insurer." },
        { kind: "report", title: "The reserve fund", notes: "The outcome of the consent round." },
      ],
    };
  });
  // Maya follows the Council's meetings in her calendar (the feed's secret is new with every seed).
  history.at(3.75, async ({ ctx, org, as }) => {
    await createCalendarFeed(ctx, org, await as("maya"));
  });
  appreciate(
    history,
    0.2,
    "maya",
    ["amara"],
    "St. Mark's by the evening and the timpani kept dry: thank you.",
  );
}
