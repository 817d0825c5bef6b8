import type { Brand } from "../ids.js";

export type SelectionId = Brand<string, "SelectionId">;
