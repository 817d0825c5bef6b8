import type { FastifyInstance } from "fastify";
import type { ApiClient } from "./client.js";

export interface ServerSentEvent {
  id: string | undefined;
  event: string | undefined;
  data: any;
}

/** The base URL of a server listening on a real port (SSE cannot go through inject). */
export async function listenOnRandomPort(server: FastifyInstance) {
  await server.listen({ port: 0, host: "127.0.0.1" });
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on a TCP port");
  return `http://127.0.0.1:${address.port}/api/v1`;
}

/** Credentials of an ApiClient as plain headers: its session cookie or its bearer token. */
export const credentialsOf = (client: ApiClient): Record<string, string> => ({
  ...(client.cookie ? { cookie: client.cookie } : {}),
  ...(client.bearer ? { authorization: `Bearer ${client.bearer}` } : {}),
});

/**
 * A Server-Sent Events reader over fetch: parses the stream into events and comments as they arrive.
 * `next()` waits for the next event; `ended` resolves when the server ends the stream.
 */
export class EventStreamReader {
  readonly comments: string[] = [];
  readonly ended: Promise<void>;
  private readonly events: ServerSentEvent[] = [];
  private waiting: (() => void) | undefined;
  private isEnded = false;

  private constructor(
    private readonly abort: AbortController,
    body: ReadableStream<Uint8Array>,
  ) {
    this.ended = this.read(body);
  }

  /** Opens a stream; resolves once the response headers are in, or with the error response. */
  static async open(url: string, headers: Record<string, string> = {}) {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: "text/event-stream", ...headers },
      signal: abort.signal,
    });
    if (response.status !== 200 || !response.body)
      return { status: response.status, body: await response.json() };
    return { status: 200, stream: new EventStreamReader(abort, response.body), headers: response.headers };
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          this.parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      this.isEnded = true;
      this.waiting?.();
    }
  }

  private parseBlock(block: string) {
    const event: ServerSentEvent = { id: undefined, event: undefined, data: undefined };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
      const [, field, value] = /^([a-z]+): ?(.*)$/.exec(line) ?? [];
      if (field === "id") event.id = value;
      if (field === "event") event.event = value;
      if (field === "data") data.push(value ?? "");
    }
    if (data.length > 0) this.events.push({ ...event, data: JSON.parse(data.join("\n")) });
    this.waiting?.();
  }

  /** The next event; fails after `timeoutMs` or when the stream ends first. */
  async next(timeoutMs = 5_000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      if (this.isEnded) throw new Error("the event stream ended");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no event within the time limit");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async take(count: number, timeoutMs = 10_000) {
    const events: ServerSentEvent[] = [];
    while (events.length < count) events.push(await this.next(timeoutMs));
    return events;
  }

  async close() {
    this.abort.abort();
    await this.ended;
  }
}
