import { type ReactNode, useId, useState } from "react";
import "../../forms.css";

/**
 * A button that opens a form in a card in place, so a page shows its content first and a form only for
 * whoever asked for it. The form gets `close` to call on success or cancel.
 */
export function OpenableForm({
  label,
  title,
  children,
}: {
  label: string;
  title: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const titleId = useId();
  if (!open)
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  return (
    <section className="card form-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children(() => setOpen(false))}
    </section>
  );
}

/** The submit and cancel buttons every form here ends with. */
export function FormActions({
  submit,
  busy,
  busyLabel,
  onCancel,
}: {
  submit: string;
  busy: boolean;
  busyLabel: string;
  onCancel: () => void;
}) {
  return (
    <div className="actions">
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? busyLabel : submit}
      </button>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** The lines of a text area, one item a line; blank lines are spacing, not items. */
export const nonEmptyLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
