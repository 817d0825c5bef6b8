import type { ApiClient, ApiResponse } from "./client.js";
import type { authorizationCast } from "./factories.js";

/** Helpers for authorization-matrix tests over the cast made by `authorizationCast`. */
export type Cast = Awaited<ReturnType<typeof authorizationCast>>;
export type Actor = "anonymous" | "otherOrgAdmin" | "observer" | "outsider" | "circleMember" | "admin";
export const ACTORS: Actor[] = [
  "anonymous",
  "otherOrgAdmin",
  "observer",
  "outsider",
  "circleMember",
  "admin",
];

const clientOf = (cast: Cast, actor: Actor): ApiClient =>
  actor === "anonymous" || actor === "otherOrgAdmin" ? cast[actor] : cast[actor].client;

/** Runs the same request as each member of the cast, in ACTORS order (admin last), and collects the statuses. */
export async function statusesOf(
  cast: Cast,
  call: (client: ApiClient, actor: Actor) => Promise<ApiResponse>,
) {
  const statuses = {} as Record<Actor, number>;
  for (const actor of ACTORS) statuses[actor] = (await call(clientOf(cast, actor), actor)).status;
  return statuses;
}

/** The organisation-level view of the matrix (no circle involved): the outsider is a plain member. */
export async function orgStatusesOf(cast: Cast, call: (client: ApiClient) => Promise<ApiResponse>) {
  return {
    anonymous: (await call(cast.anonymous)).status,
    otherOrg: (await call(cast.otherOrgAdmin)).status,
    observer: (await call(cast.observer.client)).status,
    member: (await call(cast.outsider.client)).status,
    admin: (await call(cast.admin.client)).status,
  };
}
