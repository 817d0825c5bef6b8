import type { Brand } from "../ids.js";

export type CrisisId = Brand<string, "CrisisId">;
export type CrisisDecisionId = Brand<string, "CrisisDecisionId">;
