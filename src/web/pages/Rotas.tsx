import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import {
  askRotaSwap,
  type Rota,
  type SwapAnswer,
  settleRotaSwap,
  skipRotaTurn,
  takeRotaTurn,
} from "../api-lifecycle.js";
import { useRoleNames } from "../components/election/ElectionBits.js";
import { SelectField } from "../components/Field.js";
import { StartRotaForm } from "../components/forms/StartRotaForm.js";
import { useMemberNames, useOrg } from "../components/OrgFrame.js";
import { RotationNav } from "../components/RotationBits.js";
import { ErrorMessage, Loading, usePageTitle } from "../components/Status.js";
import { formatDateTime } from "../format.js";
import { circlesQuery } from "../queries.js";
import { rotasQuery } from "../queries-lifecycle.js";
import "../lifecycle.css";

const HISTORY_SHOWN = 8;

/** A write on one rota whose answer is the rota: the list shows it at once. */
function useRotaAction<Input>(slug: string, write: (input: Input) => Promise<Rota>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (rota) => {
      queryClient.setQueryData<Rota[]>(rotasQuery(slug).queryKey, (rotas) =>
        rotas?.map((r) => (r.id === rota.id ? rota : r)),
      );
      void queryClient.invalidateQueries({ queryKey: ["org", slug, "circles"] });
    },
  });
}

function SwapForm({
  slug,
  rota,
  nameOf,
  me,
}: {
  slug: string;
  rota: Rota;
  nameOf: (id: string) => string;
  me: string;
}) {
  const [partner, setPartner] = useState("");
  const ask = useRotaAction(slug, (withMember: string) => askRotaSwap(slug, rota.id, withMember));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ask.mutate(partner, { onSuccess: () => setPartner("") });
  };
  return (
    <form className="swap-form" onSubmit={submit} aria-label="Ask for a swap">
      {ask.isError && <ErrorMessage error={ask.error} title="The swap was not asked for" />}
      <SelectField
        label="Swap my next turn with"
        value={partner}
        onChange={(event) => setPartner(event.target.value)}
        required
      >
        <option value="" disabled>
          Choose a person
        </option>
        {rota.order
          .filter((id) => id !== me)
          .map((id) => (
            <option key={id} value={id}>
              {nameOf(id)}
            </option>
          ))}
      </SelectField>
      <button type="submit" className="button button-secondary" disabled={!partner || ask.isPending}>
        Ask to swap
      </button>
    </form>
  );
}

function Swaps({ slug, rota, nameOf }: { slug: string; rota: Rota; nameOf: (id: string) => string }) {
  const settle = useRotaAction(slug, ({ swapId, answer }: { swapId: string; answer: SwapAnswer }) =>
    settleRotaSwap(slug, rota.id, swapId, answer),
  );
  const pending = rota.swaps.filter((s) => s.state === "pending");
  if (pending.length === 0) return null;
  return (
    <div className="swaps">
      <h3>Swaps asked for</h3>
      {settle.isError && <ErrorMessage error={settle.error} title="That did not work" />}
      <ul>
        {pending.map((swap) => (
          <li key={swap.id}>
            <span>
              {nameOf(swap.from)} asks {nameOf(swap.to)} to swap next turns
            </span>
            <span className="actions">
              {rota.can.answerSwaps.includes(swap.id) && (
                <>
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={settle.isPending}
                    onClick={() => settle.mutate({ swapId: swap.id, answer: "accept" })}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={settle.isPending}
                    onClick={() => settle.mutate({ swapId: swap.id, answer: "decline" })}
                  >
                    Decline
                  </button>
                </>
              )}
              {rota.can.cancelSwaps.includes(swap.id) && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={settle.isPending}
                  onClick={() => settle.mutate({ swapId: swap.id, answer: "cancel" })}
                >
                  Take back
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function RotaCard({ slug, rota, me }: { slug: string; rota: Rota; me: string }) {
  const { nameOf } = useMemberNames(slug);
  const found = useRoleNames(slug)(rota.roleId);
  const take = useRotaAction(slug, () => takeRotaTurn(slug, rota.id));
  const skip = useRotaAction(slug, () => skipRotaTurn(slug, rota.id));
  const titleId = `rota-${rota.id}`;
  const next = rota.next;
  const history = rota.turns.slice(-HISTORY_SHOWN).reverse();
  const failed = take.error ?? skip.error;
  return (
    <li className="panel rota">
      <h2 id={titleId}>
        {found?.role.name ?? "A role"} <span className="muted">· {found?.circle.name ?? "a circle"}</span>
      </h2>
      <p className="rota-next">
        Next turn: <strong>{nameOf(next.memberId)}</strong>
        {next.memberId !== next.slotOf && ` (swapped with ${nameOf(next.slotOf)})`}
        {next.memberId === me && <span className="tag tag-leadership">you</span>}
      </p>
      {failed && <ErrorMessage error={failed} title="That did not work" />}
      <div className="actions">
        {rota.can.takeTurn && (
          <button
            type="button"
            className="button button-primary"
            disabled={take.isPending}
            onClick={() => take.mutate(undefined)}
          >
            Record {next.memberId === me ? "my" : `${nameOf(next.memberId)}'s`} turn as held
          </button>
        )}
        {rota.can.skip && (
          <button
            type="button"
            className="button button-secondary"
            disabled={skip.isPending}
            onClick={() => skip.mutate(undefined)}
          >
            Skip my turn
          </button>
        )}
      </div>
      {rota.can.requestSwap && <SwapForm slug={slug} rota={rota} nameOf={nameOf} me={me} />}
      <Swaps slug={slug} rota={rota} nameOf={nameOf} />
      <div className="rota-columns">
        <div>
          <h3>Order</h3>
          <ol className="rota-order">
            {rota.order.map((id) => (
              <li key={id} className={id === next.slotOf ? "is-next" : ""}>
                {nameOf(id)}
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h3>Turns so far</h3>
          {history.length === 0 ? (
            <p className="muted">No turn yet.</p>
          ) : (
            <ul className="rota-history">
              {history.map((turn) => (
                <li key={turn.id}>
                  {nameOf(turn.memberId)} {turn.skipped ? "skipped" : "held it"}
                  {turn.memberId !== turn.slotOf && ` (for ${nameOf(turn.slotOf)})`}
                  <span className="muted"> · {formatDateTime(turn.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </li>
  );
}

export function RotasPage() {
  const org = useOrg();
  usePageTitle(`Rotas · ${org.name}`);
  const rotas = useQuery(rotasQuery(org.slug));
  const circles = useQuery(circlesQuery(org.slug));
  const stewarded = (circles.data ?? []).filter((c) => c.can.update && c.roles.length > 0);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Rotas</h1>
      </div>
      <RotationNav slug={org.slug} />
      <p className="lead">
        Recurring roles taken in turn (facilitator, secretary, host): whose turn is next, skips and swaps.
      </p>
      {stewarded.length > 0 && <StartRotaForm org={org} circles={stewarded} />}
      {rotas.isPending && <Loading label="Loading the rotas…" />}
      {rotas.isError && (
        <ErrorMessage
          error={rotas.error}
          title="The rotas could not be loaded"
          onRetry={() => rotas.refetch()}
        />
      )}
      {rotas.data?.length === 0 && <p className="empty">No circle keeps a rota yet.</p>}
      {rotas.data && rotas.data.length > 0 && (
        <ul className="rota-list">
          {rotas.data.map((rota) => (
            <RotaCard key={rota.id} slug={org.slug} rota={rota} me={org.me.memberId} />
          ))}
        </ul>
      )}
    </div>
  );
}
