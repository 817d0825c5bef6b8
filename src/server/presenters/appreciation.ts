import type { Appreciation } from "../../core/appreciation.js";

export function presentAppreciation(appreciation: Appreciation) {
  return {
    id: appreciation.id,
    fromId: appreciation.fromId,
    memberIds: appreciation.memberIds,
    text: appreciation.text,
    subject: appreciation.subject,
    circleId: appreciation.circleId,
    at: appreciation.at.toISOString(),
  };
}
