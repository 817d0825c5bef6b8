import { canWrite, type Viewer } from "./access.js";
import { requireText } from "./consent/proposal.js";
import { forbidden, invalid } from "./errors.js";
import type { Brand, CircleId, MemberId } from "./ids.js";

export type AppreciationId = Brand<string, "AppreciationId">;

/** What an appreciation may be tied to; its circle is the circle of that role, proposal or cycle. */
export const APPRECIATION_SUBJECTS = ["role", "proposal", "cycle"] as const;
export type AppreciationSubjectKind = (typeof APPRECIATION_SUBJECTS)[number];

/** The most people one appreciation names. */
export const APPRECIATED_MAX = 20;

/** Recognition from one member to others, optionally tied to a role, proposal or cycle. */
export interface Appreciation {
  id: AppreciationId;
  fromId: MemberId;
  memberIds: readonly MemberId[];
  text: string;
  subject: { kind: AppreciationSubjectKind; id: string } | null;
  /** The circle of the subject; null for an appreciation tied to nothing (it shows in member feeds only). */
  circleId: CircleId | null;
  at: Date;
}

/** Whether a viewer may appreciate others: any member who acts (observers read, they do not act). */
export const canAppreciate = (viewer: Viewer) => canWrite(viewer);

/**
 * A new appreciation: given by the viewer to one or more others (never to oneself), with a few words of
 * why. Whether the members and the subject exist, and the subject's circle, are the caller's to find.
 */
export function appreciate(
  input: {
    id: AppreciationId;
    actor: Viewer;
    memberIds: readonly MemberId[];
    text: string;
    subject: Appreciation["subject"];
  },
  now: Date,
): Omit<Appreciation, "circleId"> {
  if (!canAppreciate(input.actor)) throw forbidden("appreciate members");
  const { memberIds } = input;
  if (memberIds.length === 0 || memberIds.length > APPRECIATED_MAX)
    throw invalid(`An appreciation names 1 to ${APPRECIATED_MAX} members`, { field: "memberIds" });
  if (new Set(memberIds).size !== memberIds.length)
    throw invalid("Each member is named once", { field: "memberIds" });
  if (memberIds.includes(input.actor.memberId))
    throw invalid("Appreciation goes to others", { field: "memberIds" });
  return {
    id: input.id,
    fromId: input.actor.memberId,
    memberIds: [...memberIds],
    text: requireText(input.text, "text", "An appreciation"),
    subject: input.subject,
    at: now,
  };
}
