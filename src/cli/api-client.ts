import { type Command, InvalidArgumentError, Option } from "commander";
import { DomainError, type DomainErrorCode } from "../core/errors.js";

/** Where a command that talks to a running server sends its requests, and as whom. */
export interface ApiOptions {
  url: string;
  token: string;
  org: string;
  json?: boolean;
}

/**
 * The options every API command shares. Each may come from the environment, which keeps the token out
 * of the process list and the shell history.
 */
export function addApiOptions(command: Command) {
  return command
    .addOption(
      new Option("--url <url>", "the Polyphony server")
        .env("POLYPHONY_URL")
        .default("http://localhost:3000")
        .argParser(parseServerUrl),
    )
    .addOption(
      new Option("--token <token>", 'an API token (see "polyphony token create")')
        .env("POLYPHONY_TOKEN")
        .argParser(nonEmpty("an API token"))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--org <slug|id>", "the organisation")
        .env("POLYPHONY_ORG")
        .argParser(nonEmpty("an organisation's slug or id"))
        .makeOptionMandatory(),
    )
    .option("--json", "print the API's JSON answer as it is, for scripts");
}

function parseServerUrl(value: string) {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "http:" && url?.protocol !== "https:")
    throw new InvalidArgumentError("Give the server's address, e.g. http://localhost:3000");
  return value.replace(/\/+$/, "");
}

const nonEmpty = (what: string) => (value: string) => {
  if (value.trim() === "") throw new InvalidArgumentError(`Give ${what}`);
  return value.trim();
};

type QueryValue = string | number | boolean | undefined;

/** A small client of the HTTP API (/api/v1) that authenticates with a bearer token. */
export class ApiClient {
  constructor(private readonly options: Pick<ApiOptions, "url" | "token">) {}

  get<T>(path: string, query: Record<string, QueryValue> = {}) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) search.set(name, String(value));
    return this.request<T>("GET", search.size > 0 ? `${path}?${search}` : path);
  }

  post<T>(path: string, body: unknown) {
    return this.request<T>("POST", path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${this.options.token}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.options.url}/api/v1${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new DomainError("conflict", `Could not reach Polyphony at ${this.options.url} (${reason})`);
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok && answer !== undefined) return answer as T;
    throw this.failure(response.status, answer);
  }

  private failure(status: number, answer: unknown) {
    const error = (answer as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
    if (typeof error?.code !== "string" || typeof error.message !== "string")
      return new DomainError(
        "conflict",
        `The server at ${this.options.url} did not answer as the Polyphony API does (status ${status})`,
      );
    return new DomainError(domainCode(error.code, status), error.message, {
      status,
      code: error.code,
      details: error.details ?? {},
    });
  }
}

const DOMAIN_CODES: Record<DomainErrorCode, true> = {
  validation_failed: true,
  unauthenticated: true,
  forbidden: true,
  not_found: true,
  conflict: true,
  invalid_transition: true,
  rate_limited: true,
  payload_too_large: true,
};

/**
 * The API answers with the domain's codes, plus a few of its own (a body it could not read, a failure on
 * its side). Those have no domain code; the CLI prints only the message, so the nearest one does.
 */
const domainCode = (code: string, status: number): DomainErrorCode =>
  Object.hasOwn(DOMAIN_CODES, code)
    ? (code as DomainErrorCode)
    : status < 500
      ? "validation_failed"
      : "conflict";
