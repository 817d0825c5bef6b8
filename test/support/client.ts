import type { FastifyInstance, InjectOptions } from "fastify";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** A signed-in (or anonymous) caller of the API through Fastify's inject: cookie, CSRF and JSON handled. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;
  user: { id: string; email: string; name: string } | undefined;

  constructor(private readonly server: FastifyInstance) {}

  async request<T = any>(
    method: InjectOptions["method"],
    path: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const allHeaders: Record<string, string> = { ...headers };
    if (this.cookie) allHeaders.cookie = this.cookie;
    if (this.csrfToken && method !== "GET") allHeaders["x-csrf-token"] = this.csrfToken;
    if (this.bearer) allHeaders.authorization = `Bearer ${this.bearer}`;
    const response = await this.server.inject({
      method,
      url: path.startsWith("/api/") || path === "/healthz" ? path : `/api/v1${path}`,
      headers: allHeaders,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const setCookie = response.headers["set-cookie"];
    const sessionCookie = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).find((c) =>
      c.startsWith("polyphony_session="),
    );
    if (sessionCookie) this.cookie = sessionCookie.split(";")[0];
    const text = response.body;
    return {
      status: response.statusCode,
      body: text ? safeJson(text) : undefined,
      headers: response.headers,
    } as ApiResponse<T>;
  }

  get = <T = any>(path: string) => this.request<T>("GET", path);
  post = <T = any>(path: string, body: unknown = {}) => this.request<T>("POST", path, body);
  patch = <T = any>(path: string, body: unknown = {}) => this.request<T>("PATCH", path, body);
  delete = <T = any>(path: string) => this.request<T>("DELETE", path);
}

const safeJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

let counter = 0;

/** Signs up a fresh user and returns a client holding their session. */
export async function signUpClient(server: FastifyInstance, name = "Test Person") {
  const client = new ApiClient(server);
  counter++;
  const local = name
    .toLowerCase()
    .replace(/[^a-z]+/g, ".")
    .replace(/^\.+|\.+$/g, "");
  const email = `${local}.${counter}@example.org`;
  const res = await client.post("/auth/signup", { email, name, password: "correct horse battery" });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.csrfToken = res.body.csrfToken;
  client.user = res.body.user;
  return client;
}
