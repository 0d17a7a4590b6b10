import { ClaweaApiError } from "@clawea/sdk";
import { describe, expect, it } from "vitest";
import { problemFromResponse, problemOf } from "./problem.js";

describe("problems", () => {
  it("keep the platform's status, reason code, detail and request id", () => {
    const problem = problemOf(new ClaweaApiError(401, "API_KEY_REVOKED", "req_9", { detail: "revoked at 12:00" }));
    expect(problem).toEqual({ origin: "server", status: 401, reasonCode: "API_KEY_REVOKED", detail: "revoked at 12:00", requestId: "req_9" });
  });

  it("tell a network failure from a failure in the page", () => {
    expect(problemOf(new TypeError("Failed to fetch")).origin).toBe("network");
    expect(problemOf(new EvalError("unsafe-eval blocked"))).toMatchObject({ origin: "browser", detail: "EvalError: unsafe-eval blocked" });
  });

  it("read a problem+json download answer, and survive one that is not JSON", async () => {
    const answer = new Response(JSON.stringify({ reason_code: "EVIDENCE_NOT_READY", detail: "the run is planning" }), { status: 409, headers: { "x-request-id": "req_1" } });
    expect(problemOf(await problemFromResponse(answer))).toMatchObject({ status: 409, reasonCode: "EVIDENCE_NOT_READY", requestId: "req_1" });
    expect(problemOf(await problemFromResponse(new Response("<html>", { status: 502 })))).toMatchObject({ status: 502, reasonCode: "UNKNOWN" });
  });
});
