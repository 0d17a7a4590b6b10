import { describe, expect, it } from "vitest";
import { ClaweaApiError, createClaweaClient, unwrap } from "./index.js";

function answering(status: number, body: unknown, seen: Request[]): typeof fetch {
  return async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": status >= 400 ? "application/problem+json" : "application/json", "x-request-id": "req_1" },
    });
  };
}

describe("the SDK client", () => {
  it("sends the token as a bearer and returns the body of a 2xx", async () => {
    const seen: Request[] = [];
    const api = createClaweaClient({ baseUrl: "http://api.test/", token: "key_x.secret", fetch: answering(200, { id: "ten_1" }, seen) });
    const tenant = unwrap(await api.GET("/v1/tenant"));
    expect(tenant).toEqual({ id: "ten_1" });
    expect(seen[0]!.url).toBe("http://api.test/v1/tenant");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer key_x.secret");
  });

  it("turns a problem into a ClaweaApiError with status, reason code and request id", async () => {
    const api = createClaweaClient({ baseUrl: "http://api.test", fetch: answering(409, { reason_code: "ILLEGAL_TRANSITION", detail: "agent is sleeping" }, []) });
    const error = await api.POST("/v1/agents/{agent_id}/wake", { params: { path: { agent_id: "agt_1" } } }).then(unwrap).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaweaApiError);
    expect(error).toMatchObject({ status: 409, reasonCode: "ILLEGAL_TRANSITION", requestId: "req_1" });
    expect(String((error as Error).message)).toContain("agent is sleeping");
  });

  it("sends no authorization header without a token", async () => {
    const seen: Request[] = [];
    unwrap(await createClaweaClient({ baseUrl: "http://api.test", fetch: answering(200, { status: "ok" }, seen) }).GET("/healthz"));
    expect(seen[0]!.headers.has("authorization")).toBe(false);
  });
});
