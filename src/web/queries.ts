import { MutationCache, QueryCache, QueryClient, queryOptions } from "@tanstack/react-query";
import * as api from "./api.js";

export const sessionQuery = queryOptions({ queryKey: ["session"], queryFn: api.getSession });

export const orgQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug], queryFn: () => api.getOrg(slug) });

export const circlesQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "circles"], queryFn: () => api.listCircles(slug) });

export const membersQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "members"], queryFn: () => api.listMembers(slug) });

export const proposalsQuery = (slug: string, filter: api.ProposalFilter = {}) =>
  queryOptions({
    queryKey: ["org", slug, "proposals", filter],
    queryFn: () => api.listProposals(slug, filter),
  });

export const proposalQuery = (slug: string, id: string) =>
  queryOptions({ queryKey: ["org", slug, "proposal", id], queryFn: () => api.getProposal(slug, id) });

export const diffQuery = (slug: string, id: string, from: number, to: number) =>
  queryOptions({
    queryKey: ["org", slug, "proposal", id, "diff", from, to],
    queryFn: () => api.getDiff(slug, id, from, to),
    // Versions never change once written.
    staleTime: Number.POSITIVE_INFINITY,
  });

export const decisionsQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "decisions"], queryFn: () => api.listDecisions(slug) });

export const attentionQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "attention"], queryFn: () => api.getAttention(slug) });

export const ACTIVITY_LENGTH = 15;

export const activityQuery = (slug: string) =>
  queryOptions({
    queryKey: ["org", slug, "activity"],
    queryFn: () => api.recentLog(slug, ACTIVITY_LENGTH),
  });

const isUnauthenticated = (error: unknown) => error instanceof api.ApiError && error.status === 401;

export function createQueryClient() {
  // A 401 anywhere means the session ended: forget it, and the guarded pages send the user to log in.
  const forgetSessionOn401 = (error: unknown) => {
    if (isUnauthenticated(error)) client.setQueryData(sessionQuery.queryKey, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: forgetSessionOn401 }),
    mutationCache: new MutationCache({ onError: forgetSessionOn401 }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not change by asking again; network trouble and 5xx might.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof api.ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}
