import { useEffect } from "react";
import { ApiError } from "../api.js";

/** What to tell a person about a failure: the server's own message, never a stack trace or raw JSON. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something unexpected went wrong. Please reload the page.";
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorMessage({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      {title && <p className="notice-title">{title}</p>}
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Sets the browser tab's title, so screen reader users hear where a navigation landed. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Polyphony`;
  }, [title]);
}
