import { type ReactNode, useState } from "react";

/**
 * A step that cannot be taken back (withdraw, cancel, release): the first click asks, the second does
 * it, and "Keep it" steps back.
 */
export function ConfirmAction({
  opener,
  openerClassName = "button button-quiet",
  question,
  confirm,
  pending,
  onConfirm,
  error,
}: {
  opener: string;
  openerClassName?: string;
  question: string;
  confirm: string;
  pending: boolean;
  onConfirm: () => void;
  /** What went wrong last time, shown above the question. */
  error?: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className={openerClassName} onClick={() => setAsking(true)}>
        {opener}
      </button>
    );
  return (
    <div className="confirm">
      {error}
      <p>{question}</p>
      <div className="actions">
        <button type="button" className="button button-danger" disabled={pending} onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" className="button button-secondary" onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
