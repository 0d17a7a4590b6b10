/** The typed clawea client: openapi-fetch over the generated `paths`, with auth and problem+json errors. */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./api.generated.js";

export type ClaweaClient = Client<paths>;

export interface ClientOptions {
  baseUrl: string;
  /** A tenant API key token, or the platform bootstrap key for tenant creation. */
  token?: string;
  fetch?: typeof globalThis.fetch;
}

export function createClaweaClient(options: ClientOptions): ClaweaClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ""), ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (options.token !== undefined) {
    const token = options.token;
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** An API answer that was not 2xx, carrying the platform's reason code. */
export class ClaweaApiError extends Error {
  override readonly name = "ClaweaApiError";
  constructor(
    readonly status: number,
    readonly reasonCode: string,
    readonly requestId: string | null,
    readonly problem: Record<string, unknown>,
  ) {
    super(`${status} ${reasonCode}: ${String(problem.detail ?? "")}`);
  }
}

/** The `data` of an openapi-fetch result, or a `ClaweaApiError` for its problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  const problem = (result.error ?? {}) as Record<string, unknown>;
  throw new ClaweaApiError(
    result.response.status,
    typeof problem.reason_code === "string" ? problem.reason_code : "UNKNOWN",
    result.response.headers.get("x-request-id"),
    problem,
  );
}
