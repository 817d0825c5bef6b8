import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Proposal } from "../../api.js";
import { proposalQuery } from "../../queries.js";

/**
 * A write on one proposal whose answer is the proposal itself: the page shows it at once, and the
 * lists and "needs you now" that may have changed are refreshed.
 */
export function useProposalAction<Input>(
  slug: string,
  proposalId: string,
  write: (input: Input) => Promise<Proposal>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (proposal) => {
      queryClient.setQueryData(proposalQuery(slug, proposalId).queryKey, proposal);
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "proposals"] });
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "attention"] });
    },
  });
}

/** A deadline typed into a datetime-local field, as the API takes it; empty means none. */
export const deadlineFrom = (value: FormDataEntryValue | null) =>
  typeof value === "string" && value ? new Date(value).toISOString() : null;
