import { MutationCache, QueryCache, QueryClient, queryOptions } from "@tanstack/react-query";
import * as api from "./api.js";

export const sessionQuery = queryOptions({ queryKey: ["session"], queryFn: api.getSession });

export const orgQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug], queryFn: () => api.getOrg(slug) });

export const circlesQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "circles"], queryFn: () => api.listCircles(slug) });

export const membersQuery = (slug: string) =>
  queryOptions({ queryKey: ["org", slug, "members"], queryFn: () => api.listMembers(slug) });

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
