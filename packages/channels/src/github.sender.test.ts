// Sends against a local server that answers the few GitHub REST routes the sender uses.
import { ReasonError } from "@clawea/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { approvalCard, refusingUrl, startFake, type Captured, type FakeServer, type Reply } from "./fixtures.test-support.js";
import { githubCheckRun } from "./github.card.js";
import { sendGithubCheckRun } from "./github.sender.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const HEAD = "a".repeat(40);

interface Script {
  existing?: { id: number; external_id: string; html_url: string }[];
  create?: Reply;
  comment?: Reply;
  pull?: Reply;
}

/** GitHub as far as the sender needs it: list check runs of a ref, create one, read a PR, comment on it. */
async function github(script: Script = {}): Promise<{ token: string; owner: string; repo: string; api_url: string }> {
  fake = await startFake((request: Captured): Reply => {
    const path = request.url.split("?")[0];
    if (request.method === "GET" && path === `/repos/o/r/commits/${HEAD}/check-runs`) {
      const runs = script.existing ?? [];
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (request.method === "POST" && path === "/repos/o/r/check-runs") {
      return script.create ?? { status: 201, body: { id: 7, html_url: "https://github.example/o/r/runs/7", external_id: JSON.parse(request.body).external_id } };
    }
    if (request.method === "GET" && path === "/repos/o/r/pulls/12") return script.pull ?? { status: 200, body: { number: 12, head: { sha: HEAD } } };
    if (request.method === "POST" && path === "/repos/o/r/issues/12/comments") return script.comment ?? { status: 201, body: { id: 99 } };
    return { status: 404, body: { message: "Not Found" } };
  });
  return { token: "ghs_installation_token", owner: "o", repo: "r", api_url: fake.url };
}

function routes(): string[] {
  return fake!.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`);
}

async function failure(promise: Promise<unknown>): Promise<ReasonError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReasonError);
  expect((error as ReasonError).message).not.toContain("ghs_installation_token");
  return error as ReasonError;
}

describe("sendGithubCheckRun", () => {
  it("creates the check run on the commit with the installation token", async () => {
    const config = await github();
    const card = approvalCard();
    await expect(sendGithubCheckRun(card, { ...config, head_sha: HEAD })).resolves.toEqual({
      check_run_id: 7,
      html_url: "https://github.example/o/r/runs/7",
      head_sha: HEAD,
      reused: false,
    });
    expect(routes()).toEqual([`GET /repos/o/r/commits/${HEAD}/check-runs`, "POST /repos/o/r/check-runs"]);
    const [list, create] = fake!.requests;
    expect(new URL(list!.url, "http://x").searchParams.get("check_name")).toBe("clawea approval");
    expect(create!.headers.authorization).toBe("token ghs_installation_token");
    expect(JSON.parse(create!.body)).toEqual({ head_sha: HEAD, ...githubCheckRun(card) });
  });

  it("finds the pull request's head, then comments with a link to the check run", async () => {
    const config = await github();
    const ref = await sendGithubCheckRun(approvalCard(), { ...config, pr_number: 12 });
    expect(ref).toMatchObject({ check_run_id: 7, head_sha: HEAD, comment_id: 99 });
    expect(routes()).toEqual(["GET /repos/o/r/pulls/12", `GET /repos/o/r/commits/${HEAD}/check-runs`, "POST /repos/o/r/check-runs", "POST /repos/o/r/issues/12/comments"]);
    expect(JSON.parse(fake!.requests[3]!.body).body).toContain("(https://github.example/o/r/runs/7)");
  });

  it("does not create a second check run for the same approval", async () => {
    const config = await github({ existing: [{ id: 5, external_id: "other", html_url: "u5" }, { id: 6, external_id: "apr_01J9Z3", html_url: "https://github.example/o/r/runs/6" }] });
    await expect(sendGithubCheckRun(approvalCard(), { ...config, head_sha: HEAD })).resolves.toMatchObject({ check_run_id: 6, reused: true });
    expect(routes()).toEqual([`GET /repos/o/r/commits/${HEAD}/check-runs`]);
  });

  it.each([
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "30" }, body: { message: "slow down" } }, "CHANNEL_RATE_LIMITED", 429],
    ["403 with the rate limit used up", { status: 403, headers: { "x-ratelimit-remaining": "0" }, body: { message: "API rate limit exceeded" } }, "CHANNEL_RATE_LIMITED", 403],
    ["403 without a rate limit", { status: 403, body: { message: "Resource not accessible by integration" } }, "CHANNEL_DELIVERY_REJECTED", 403],
    ["422", { status: 422, body: { message: "Validation Failed" } }, "CHANNEL_DELIVERY_REJECTED", 422],
    ["500", { status: 500, body: { message: "boom" } }, "CHANNEL_DELIVERY_FAILED", 500],
    ["502 without JSON", { status: 502, body: "bad gateway" }, "CHANNEL_DELIVERY_FAILED", 502],
  ] as const)("maps a check-run creation answered %s to %s", async (_name, reply, code, status) => {
    const config = await github({ create: reply });
    const error = await failure(sendGithubCheckRun(approvalCard(), { ...config, head_sha: HEAD }));
    expect(error.code).toBe(code);
    expect(error.extra).toMatchObject({ channel: "github", vendor_status: status });
    if (status === 429) expect(error.extra.retry_after_seconds).toBe(30);
  });

  it("maps an unknown pull request to a rejection", async () => {
    const config = await github({ pull: { status: 404, body: { message: "Not Found" } } });
    expect((await failure(sendGithubCheckRun(approvalCard(), { ...config, pr_number: 12 }))).code).toBe("CHANNEL_DELIVERY_REJECTED");
  });

  it("maps a refused connection to a retryable failure with no vendor status", async () => {
    const error = await failure(sendGithubCheckRun(approvalCard(), { token: "ghs_installation_token", owner: "o", repo: "r", api_url: await refusingUrl(), head_sha: HEAD }));
    expect(error.code).toBe("CHANNEL_DELIVERY_FAILED");
    expect(error.extra.vendor_status).toBeNull();
  });

  it("needs a commit or a pull request to attach the check run to", async () => {
    const config = await github();
    expect((await failure(sendGithubCheckRun(approvalCard(), config))).code).toBe("CHANNEL_NOT_CONFIGURED");
    expect((await failure(sendGithubCheckRun(approvalCard(), { ...config, token: "", head_sha: HEAD }))).code).toBe("CHANNEL_NOT_CONFIGURED");
    expect(fake!.requests).toHaveLength(0);
  });
});
