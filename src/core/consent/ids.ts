import type { Brand } from "../ids.js";

export type ProposalId = Brand<string, "ProposalId">;
export type QuestionId = Brand<string, "QuestionId">;
export type ObjectionId = Brand<string, "ObjectionId">;
