import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { circleNameOf, meetingCalendar } from "../../app/calendar.js";
import type { AppContext } from "../../app/context.js";
import {
  changeMeeting,
  closeCircleMeeting,
  evaluateCircleMeeting,
  listMeetings,
  markMeetingAttendance,
  openCircleMeeting,
  readMeeting,
  recordMeetingMinutes,
  scheduleCircleMeeting,
  speakInMeetingRound,
} from "../../app/meetings.js";
import { AGENDA_ITEM_KINDS, MAX_AGENDA_ITEMS, type MeetingRound, RATINGS } from "../../core/meetings.js";
import { orgViewerOf } from "../plugins/auth.js";
import { presentMeeting } from "../presenters/meeting.js";
import { Body, Id, LongText, OrgRef, Paging, ShortText, Timestamp } from "../schemas.js";

const OrgParams = Type.Object({ org: OrgRef });
const MeetingParams = Type.Object({ org: OrgRef, meeting: Id });

const ListQuery = Type.Object(
  {
    circleId: Type.Optional(Id),
    from: Type.Optional({ ...Timestamp, description: "Meetings that end at or after this time" }),
    to: Type.Optional({ ...Timestamp, description: "Meetings that start before this time" }),
    ...Paging.properties,
  },
  { additionalProperties: false },
);

const AgendaItem = Body({
  kind: Type.Enum(AGENDA_ITEM_KINDS),
  proposalId: Type.Optional({ ...Id, description: "For a proposal item: the proposal, which runs live" }),
  selectionId: Type.Optional({ ...Id, description: "For a selection item: the election, which runs live" }),
  title: ShortText(200),
  notes: Type.Optional(LongText(2_000)),
});
const Agenda = Type.Array(AgendaItem, { maxItems: MAX_AGENDA_ITEMS });

const Details = {
  title: ShortText(200),
  startsAt: Timestamp,
  endsAt: Timestamp,
  location: Type.Optional(LongText(500)),
  agenda: Type.Optional(Agenda),
};
const ScheduleBody = Body({ circleId: Id, ...Details });
const ChangeBody = Type.Object(
  {
    title: Type.Optional(Details.title),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(Timestamp),
    location: Type.Optional(LongText(500)),
    agenda: Type.Optional(Agenda),
  },
  { additionalProperties: false, minProperties: 1 },
);
const AttendanceBody = Body({ memberId: Id, present: Type.Boolean() });
const EntryBody = Body({ text: ShortText(1_000) });
const MinutesBody = Body({ text: ShortText(50_000) });
const EvaluationBody = Body({
  rating: Type.Integer({ minimum: RATINGS.min, maximum: RATINGS.max }),
  comment: LongText(2_000),
});

const optionalDate = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export async function meetingRoutes(api: FastifyInstance, ctx: AppContext) {
  const r = api.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["meetings"];
  r.get(
    "/orgs/:org/meetings",
    {
      schema: {
        tags,
        summary: "Meetings of the circles the caller may read, in the order they take place",
        params: OrgParams,
        querystring: ListQuery,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const { limit = 100, offset = 0, from, to, circleId } = request.query;
      const { meetings, hasMore } = await listMeetings(
        ctx.db,
        org,
        viewer,
        { circleId, from: optionalDate(from), to: optionalDate(to), limit, offset },
        now,
      );
      return { meetings: meetings.map((m) => presentMeeting(m, viewer, org.id)), hasMore };
    },
  );

  r.post(
    "/orgs/:org/meetings",
    {
      schema: {
        tags,
        summary:
          "Call a meeting of a circle you take part in: time, place and agenda (proposals and elections on it run live)",
        params: OrgParams,
        body: ScheduleBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const { body } = request;
      const meeting = await scheduleCircleMeeting(ctx, org, viewer, {
        ...body,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
      });
      return reply.status(201).send(presentMeeting(meeting, viewer, org.id));
    },
  );

  r.get(
    "/orgs/:org/meetings/:meeting",
    {
      schema: {
        tags,
        summary: "A meeting: agenda, attendance, check-in and check-out rounds, minutes and evaluations",
        params: MeetingParams,
      },
    },
    async (request) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const meeting = await readMeeting(ctx.db, org, viewer, request.params.meeting, now);
      return presentMeeting(meeting, viewer, org.id);
    },
  );

  r.get(
    "/orgs/:org/meetings/:meeting.ics",
    {
      schema: {
        tags,
        summary: "The meeting as an iCalendar file (the same UID as in the calendar feeds)",
        params: MeetingParams,
      },
    },
    async (request, reply) => {
      const now = ctx.now();
      const { org, viewer } = await orgViewerOf(request);
      const meeting = await readMeeting(ctx.db, org, viewer, request.params.meeting, now);
      const circleName = await circleNameOf(ctx.db, org.id, meeting.circleId);
      return reply
        .type("text/calendar; charset=utf-8")
        .header("content-disposition", `attachment; filename="meeting-${meeting.id}.ics"`)
        .send(meetingCalendar(meeting, circleName, now));
    },
  );

  r.patch(
    "/orgs/:org/meetings/:meeting",
    {
      schema: {
        tags,
        summary:
          "Change the title, time, place or agenda, until the meeting closes (its facilitator or convener)",
        params: MeetingParams,
        body: ChangeBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const { startsAt, endsAt, ...rest } = request.body;
      const meeting = await changeMeeting(ctx, org, viewer, request.params.meeting, {
        ...rest,
        startsAt: optionalDate(startsAt),
        endsAt: optionalDate(endsAt),
      });
      return presentMeeting(meeting, viewer, org.id);
    },
  );

  const step = (path: string, summary: string, command: typeof openCircleMeeting) =>
    r.post(
      `/orgs/:org/meetings/:meeting/${path}`,
      { schema: { tags, summary, params: MeetingParams } },
      async (request) => {
        const { org, viewer } = await orgViewerOf(request);
        return presentMeeting(await command(ctx, org, viewer, request.params.meeting), viewer, org.id);
      },
    );
  step("open", "Open a scheduled meeting (its facilitator or convener)", openCircleMeeting);
  step("close", "Close an open meeting; its attendees may then evaluate it", closeCircleMeeting);

  r.post(
    "/orgs/:org/meetings/:meeting/attendance",
    {
      schema: {
        tags,
        summary:
          "Mark a member present or absent while the meeting is open: yourself, or anyone in the circle if you run it",
        params: MeetingParams,
        body: AttendanceBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const meeting = await markMeetingAttendance(ctx, org, viewer, request.params.meeting, request.body);
      return presentMeeting(meeting, viewer, org.id);
    },
  );

  const round = (path: string, name: MeetingRound, summary: string) =>
    r.post(
      `/orgs/:org/meetings/:meeting/${path}`,
      { schema: { tags, summary, params: MeetingParams, body: EntryBody } },
      async (request, reply) => {
        const { org, viewer } = await orgViewerOf(request);
        const meeting = await speakInMeetingRound(
          ctx,
          org,
          viewer,
          request.params.meeting,
          name,
          request.body.text,
        );
        return reply.status(201).send(presentMeeting(meeting, viewer, org.id));
      },
    );
  round(
    "check-ins",
    "checkIn",
    "Your check-in while the meeting is open: one per attendee, a second replaces the first; marks you present",
  );
  round(
    "check-outs",
    "checkOut",
    "Your check-out while the meeting is open: one per attendee, a second replaces the first; marks you present",
  );

  r.put(
    "/orgs/:org/meetings/:meeting/minutes",
    {
      schema: {
        tags,
        summary:
          "Record the minutes once the meeting has opened, also after it closed (its facilitator or convener)",
        params: MeetingParams,
        body: MinutesBody,
      },
    },
    async (request) => {
      const { org, viewer } = await orgViewerOf(request);
      const meeting = await recordMeetingMinutes(ctx, org, viewer, request.params.meeting, request.body.text);
      return presentMeeting(meeting, viewer, org.id);
    },
  );

  r.post(
    "/orgs/:org/meetings/:meeting/evaluations",
    {
      schema: {
        tags,
        summary: "Evaluate a closed meeting you attended: a rating from 1 to 5 and a comment, once",
        params: MeetingParams,
        body: EvaluationBody,
      },
    },
    async (request, reply) => {
      const { org, viewer } = await orgViewerOf(request);
      const meeting = await evaluateCircleMeeting(ctx, org, viewer, request.params.meeting, request.body);
      return reply.status(201).send(presentMeeting(meeting, viewer, org.id));
    },
  );
}
