/**
 * Placing the card on GitHub with the official REST client: a check run on the commit (found first by
 * its external id, so sending twice does not make two), then an optional pull-request comment.
 */
import { ReasonError } from "@clawea/protocol";
import { Octokit } from "@octokit/rest";
import type { ApprovalCard } from "./card.model.js";
import { DEFAULT_TIMEOUT_MS, type GithubSendConfig, type SenderDeps } from "./config.model.js";
import { deliveryCodeFor, deliveryError, notConfigured, retryAfterSeconds, transportDetail } from "./delivery.errors.js";
import { GITHUB_CHECK_NAME, githubCheckRun, githubPrComment } from "./github.card.js";

export const GITHUB_API_URL = "https://api.github.com";

export interface GithubCheckRunRef {
  check_run_id: number;
  html_url: string | null;
  head_sha: string;
  /** The check run already existed (an earlier attempt created it) and was not created again. */
  reused: boolean;
  comment_id?: number;
}

const silent = (): void => undefined;

function githubFailure(error: unknown): ReasonError {
  if (error instanceof ReasonError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  const response = (error as { response?: { headers?: Record<string, string | undefined>; data?: unknown } } | null)?.response;
  if (typeof status !== "number" || response === undefined) {
    // No answer: Octokit reports refused connections and timeouts with a made-up status 500 and no response.
    return deliveryError("github", "CHANNEL_DELIVERY_FAILED", null, transportDetail(error));
  }
  const headers = response.headers ?? {};
  const retryAfter = retryAfterSeconds(headers["retry-after"]);
  // GitHub answers its rate limits with 403 as well as 429: remaining 0, or a secondary limit's Retry-After.
  const limited = status === 429 || (status === 403 && (headers["x-ratelimit-remaining"] === "0" || retryAfter !== undefined));
  const message = (response.data as { message?: unknown } | undefined)?.message;
  const more = {
    ...(retryAfter === undefined ? {} : { retry_after_seconds: retryAfter }),
    ...(typeof message === "string" ? { vendor_error: message.slice(0, 200) } : {}),
  };
  return deliveryError("github", limited ? "CHANNEL_RATE_LIMITED" : deliveryCodeFor(status), status, `HTTP ${status}`, more);
}

/** Creates (or finds) the check run and comments on the pull request if one is configured. Throws a ReasonError (CHANNEL_*). */
export async function sendGithubCheckRun(card: ApprovalCard, config: GithubSendConfig, deps: SenderDeps = {}): Promise<GithubCheckRunRef> {
  if (config.token === "" || config.owner === "" || config.repo === "") throw notConfigured("github", "token, owner and repo are required");
  if ((config.head_sha ?? "") === "" && config.pr_number === undefined) throw notConfigured("github", "a head_sha or a pr_number is needed to place the check run");
  const { owner, repo } = config;
  const octokit = new Octokit({
    auth: config.token,
    baseUrl: (config.api_url ?? GITHUB_API_URL).replace(/\/+$/, ""),
    userAgent: "clawea-channels",
    // Failures are returned as reason codes; the caller logs them with its own logger.
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
  const request = () => ({ signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
  try {
    const headSha =
      config.head_sha !== undefined && config.head_sha !== ""
        ? config.head_sha
        : (await octokit.pulls.get({ owner, repo, pull_number: config.pr_number!, request: request() })).data.head.sha;
    const existing = await octokit.checks.listForRef({ owner, repo, ref: headSha, check_name: GITHUB_CHECK_NAME, filter: "all", per_page: 100, request: request() });
    const found = existing.data.check_runs.find((run) => run.external_id === card.approval_id);
    const run = found ?? (await octokit.checks.create({ owner, repo, head_sha: headSha, ...githubCheckRun(card), request: request() })).data;
    const ref: GithubCheckRunRef = { check_run_id: run.id, html_url: run.html_url, head_sha: headSha, reused: found !== undefined };
    if (config.pr_number !== undefined) {
      const comment = await octokit.issues.createComment({ owner, repo, issue_number: config.pr_number, body: githubPrComment(card, run.html_url), request: request() });
      ref.comment_id = comment.data.id;
    }
    return ref;
  } catch (error) {
    throw githubFailure(error);
  }
}
