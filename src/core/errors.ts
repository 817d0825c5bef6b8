/**
 * The one error type of the domain. Use-cases throw it; the HTTP layer maps `code` to a status in one
 * place (src/server/plugins/errors.ts), the CLI prints `message`.
 */
export type DomainErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid_transition"
  | "rate_limited"
  | "payload_too_large";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string, id?: string) =>
  new DomainError("not_found", `${what} not found`, id === undefined ? {} : { id });
export const forbidden = (action: string) =>
  new DomainError("forbidden", `You are not allowed to ${action}`, { action });
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError("conflict", message, details);
export const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError("validation_failed", message, details);
