import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Election } from "../../api-lifecycle.js";
import { electionQuery } from "../../queries-lifecycle.js";

/** A write on one election whose answer is the election itself: the page shows it at once. */
export function useElectionAction<Input>(
  slug: string,
  electionId: string,
  write: (input: Input) => Promise<Election>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (election) => {
      queryClient.setQueryData(electionQuery(slug, electionId).queryKey, election);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "elections"] });
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "attention"] });
      if (election.state === "elected")
        void queryClient.invalidateQueries({ queryKey: ["org", slug, "circles"] });
    },
  });
}

/** Names sorted for a picker: the election's participants, by name. */
export const byName = (ids: readonly string[], nameOf: (id: string) => string) =>
  [...ids].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
