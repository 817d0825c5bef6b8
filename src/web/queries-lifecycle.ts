import { type QueryClient, queryOptions } from "@tanstack/react-query";
import * as api from "./api-lifecycle.js";

export const electionsQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "elections"], queryFn: () => api.listElections(slug) });

export const electionQuery = (slug: string, id: string) =>
  queryOptions({ queryKey: ["org", slug, "election", id], queryFn: () => api.getElection(slug, id) });

export const candidatesQuery = (slug: string, roleId: string) =>
  queryOptions({
    queryKey: ["org", slug, "rotation", "candidates", roleId],
    queryFn: () => api.getCandidates(slug, roleId),
  });

export const rotationPlanQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "rotation", "plan"], queryFn: () => api.getRotationPlan(slug) });

export const termsDueQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "rotation", "terms-due"], queryFn: () => api.getTermsDue(slug) });

export const rotasQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "rotas"], queryFn: () => api.listRotas(slug) });

export const crisesQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "crises", "all"], queryFn: () => api.listCrises(slug) });

/**
 * How often the banner asks again. A crisis ends by its clock with no event sent, so the banner counts
 * down by itself and checks with the server now and then (and as soon as its own countdown runs out).
 */
export const ACTIVE_CRISES_REFRESH_MS = 15_000;

export const activeCrisesQuery = (slug: string) =>
  queryOptions({
    queryKey: ["org", slug, "crises", "active"],
    queryFn: async () => ({ crises: await api.listCrises(slug, "active"), fetchedAt: performance.now() }),
    refetchInterval: ACTIVE_CRISES_REFRESH_MS,
  });

export const crisisQuery = (slug: string, id: string) =>
  queryOptions({
    queryKey: ["org", slug, "crisis", id],
    queryFn: () => api.getCrisis(slug, id),
    // An active crisis ends by its clock, with no event: ask again now and then while it lasts.
    refetchInterval: (query) => (query.state.data?.activeNow ? ACTIVE_CRISES_REFRESH_MS : false),
  });

/** Which cached reads a governance log entry may have changed, by the kind of entry. */
const TOUCHES: [prefix: string, keys: string[]][] = [
  ["selection.", ["elections", "election"]],
  ["crisis.", ["crises", "crisis"]],
  ["rota.", ["rotas", "rotation"]],
  ["role.", ["rotation", "elections"]],
  ["assignment.", ["rotation", "rotas"]],
  ["member.", ["rotation"]],
  ["circle.", ["rotation"]],
];

/** Marks stale (and refetches, where shown) the elections, rotation, rotas and crises an entry touches. */
export function invalidateLifecycle(queryClient: QueryClient, slug: string, entryType: string) {
  const keys = new Set(TOUCHES.filter(([prefix]) => entryType.startsWith(prefix)).flatMap(([, k]) => k));
  for (const key of keys) void queryClient.invalidateQueries({ queryKey: ["org", slug, key] });
}
