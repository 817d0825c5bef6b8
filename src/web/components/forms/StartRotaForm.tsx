import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Circle, Org } from "../../api.js";
import { type Rota, startRota } from "../../api-lifecycle.js";
import type { CircleDetail } from "../../api-people.js";
import { rotasQuery } from "../../queries-lifecycle.js";
import { circleQuery } from "../../queries-people.js";
import { SelectField } from "../Field.js";
import { ErrorMessage, Loading } from "../Status.js";
import { FormActions, OpenableForm } from "./OpenableForm.js";

const moved = (order: string[], from: number, to: number) => {
  const next = [...order];
  const [id] = next.splice(from, 1);
  if (id !== undefined) next.splice(to, 0, id);
  return next;
};

/** The turn order: everyone in the circle to begin with, moved up and down or left out. */
function OrderFields({
  org,
  roleId,
  circle,
  onDone,
}: {
  org: Org;
  roleId: string;
  circle: CircleDetail;
  onDone: () => void;
}) {
  const nameOf = (id: string) => circle.members.find((m) => m.memberId === id)?.name ?? "A member";
  const [order, setOrder] = useState(() =>
    [...circle.members].sort((a, b) => a.name.localeCompare(b.name)).map((m) => m.memberId),
  );
  const leftOut = circle.members.filter((m) => !order.includes(m.memberId));
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => startRota(org.slug, { roleId, order }),
    onSuccess: (rota) => {
      queryClient.setQueryData<Rota[]>(rotasQuery(org.slug).queryKey, (rotas) => [...(rotas ?? []), rota]);
      void queryClient.invalidateQueries({ queryKey: rotasQuery(org.slug).queryKey });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Start a rota">
      {start.isError && <ErrorMessage error={start.error} title="The rota was not started" />}
      <fieldset className="choice-group">
        <legend>Order of turns</legend>
        <ol className="rota-order">
          {order.map((id, index) => (
            <li key={id}>
              {nameOf(id)}{" "}
              <span className="actions">
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={index === 0}
                  onClick={() => setOrder(moved(order, index, index - 1))}
                >
                  Up<span className="visually-hidden"> {nameOf(id)}</span>
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={index === order.length - 1}
                  onClick={() => setOrder(moved(order, index, index + 1))}
                >
                  Down<span className="visually-hidden"> {nameOf(id)}</span>
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setOrder(order.filter((other) => other !== id))}
                >
                  Leave out<span className="visually-hidden"> {nameOf(id)}</span>
                </button>
              </span>
            </li>
          ))}
        </ol>
        {leftOut.length > 0 && (
          <p className="muted">
            Left out:{" "}
            {leftOut.map((m) => (
              <button
                key={m.memberId}
                type="button"
                className="button button-quiet"
                onClick={() => setOrder([...order, m.memberId])}
              >
                Add {m.name}
              </button>
            ))}
          </p>
        )}
      </fieldset>
      <FormActions submit="Start the rota" busy={start.isPending} busyLabel="Starting…" onCancel={onDone} />
    </form>
  );
}

function ChooseRole({ org, circles, onDone }: { org: Org; circles: Circle[]; onDone: () => void }) {
  const [roleId, setRoleId] = useState("");
  const circleId = circles.find((c) => c.roles.some((r) => r.id === roleId))?.id ?? "";
  const circle = useQuery({ ...circleQuery(org.slug, circleId), enabled: circleId !== "" });
  return (
    <>
      <SelectField label="Role" value={roleId} onChange={(e) => setRoleId(e.target.value)} required>
        <option value="" disabled>
          Choose the role taken in turn
        </option>
        {circles.map((c) => (
          <optgroup key={c.id} label={c.name}>
            {c.roles.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </optgroup>
        ))}
      </SelectField>
      {circleId && circle.isPending && <Loading label="Loading the circle's members…" />}
      {circle.isError && <ErrorMessage error={circle.error} title="The circle could not be loaded" />}
      {circle.data && (
        <OrderFields key={roleId} org={org} roleId={roleId} circle={circle.data} onDone={onDone} />
      )}
      {!roleId && (
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      )}
    </>
  );
}

/** A rota for one of the roles in circles the viewer looks after. */
export function StartRotaForm({ org, circles }: { org: Org; circles: Circle[] }) {
  return (
    <OpenableForm label="Start a rota" title="Start a rota">
      {(close) => <ChooseRole org={org} circles={circles} onDone={close} />}
    </OpenableForm>
  );
}
