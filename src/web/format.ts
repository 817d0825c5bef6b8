import type { Access, CircleKind, FillingPolicy } from "./api.js";

export const circleKindLabel: Record<CircleKind, string> = {
  circle: "Circle",
  committee: "Committee",
  council: "Council",
  community_of_practice: "Community of practice",
};

export const fillingPolicyLabel: Record<FillingPolicy, string> = {
  election: "Elected",
  rotation: "Rotates",
  appointment: "Appointed",
};

export const accessLabel: Record<Access, string> = {
  admin: "Admin",
  member: "Member",
  observer: "Observer",
};

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
