import { DomainError, forbidden } from "./errors.js";

/**
 * Why a request may not be made, as an error built only when thrown: the `can` objects ask many such
 * questions and throw nothing. Each process's rules (consent, selection, crisis, rota, meetings, cycles)
 * answer with a Refusal or null.
 */
export type Refusal = () => DomainError;

export const invalidTransition =
  (message: string, details: Record<string, unknown>): Refusal =>
  () =>
    new DomainError("invalid_transition", message, details);

export const notAllowed =
  (action: string): Refusal =>
  () =>
    forbidden(action);
