/**
 * Verifying a GitHub webhook delivery (`X-Hub-Signature-256`, checked by Octokit's webhooks-methods)
 * and reading a press of one of the check run's buttons (`check_run` / `requested_action`).
 * Pure apart from being async (the library's HMAC is): headers, raw body and secret come in as arguments.
 *
 * GitHub signs no timestamp, so there is no freshness check: replays are refused by the delivery id
 * alone (`replay_key`), which is why that key must go into a unique column before the decision counts.
 */
import { verify } from "@octokit/webhooks-methods";
import { DECISION_KINDS, isDecisionKind } from "./card.model.js";
import { header, ignore, isRecord, nonEmptyString, rawText, refuse, type CallbackResult, type RequestHeaders } from "./callback.model.js";
import { GITHUB_CHECK_NAME } from "./github.card.js";

export interface GithubWebhookInput {
  headers: RequestHeaders;
  /** Exactly the bytes received. */
  rawBody: string | Uint8Array;
  /** The webhook secret of the GitHub App (or repository webhook). */
  secret: string;
}

export interface GithubOrigin {
  /** `owner/repo`. */
  repository: string | null;
  installation_id: number | null;
  check_run_id: number | null;
}

const SIGNATURE_RE = /^sha256=[0-9a-f]{64}$/;

export function githubEventPayload(rawBody: string | Uint8Array): Record<string, unknown> | null {
  const text = rawText(rawBody);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}

/**
 * A verified `check_run.requested_action` on a clawea check run becomes a decision; any other event or
 * action (ping, check_run created/completed, other check runs) is authentic but ignored.
 */
export async function verifyGithubWebhook(input: GithubWebhookInput): Promise<CallbackResult<GithubOrigin>> {
  const signature = header(input.headers, "x-hub-signature-256");
  if (input.secret === "") return refuse("CHANNEL_SIGNATURE_INVALID", "no webhook secret to verify with");
  if (signature === undefined || !SIGNATURE_RE.test(signature)) return refuse("CHANNEL_SIGNATURE_INVALID", "X-Hub-Signature-256: sha256=<hex> is required");
  const text = rawText(input.rawBody);
  if (text === null || text === "") return refuse("CHANNEL_PAYLOAD_INVALID", "the body is empty or not UTF-8");
  if (!(await verify(input.secret, text, signature))) return refuse("CHANNEL_SIGNATURE_INVALID", "the signature does not verify");

  const delivery = header(input.headers, "x-github-delivery");
  if (!nonEmptyString(delivery, 100)) return refuse("CHANNEL_PAYLOAD_INVALID", "X-GitHub-Delivery is required");
  const event = header(input.headers, "x-github-event");
  if (event !== "check_run") return ignore(`event ${event === undefined ? "(none)" : event.slice(0, 40)} is not check_run`);
  const payload = githubEventPayload(text);
  if (payload === null) return refuse("CHANNEL_PAYLOAD_INVALID", "the body is not a JSON object");
  if (payload.action !== "requested_action") return ignore(`check_run action ${typeof payload.action === "string" ? payload.action.slice(0, 40) : "(none)"} is not requested_action`);
  const checkRun = isRecord(payload.check_run) ? payload.check_run : {};
  if (checkRun.name !== GITHUB_CHECK_NAME) return ignore("not a clawea check run");

  const requested = isRecord(payload.requested_action) ? payload.requested_action : {};
  if (!isDecisionKind(requested.identifier)) return refuse("CHANNEL_PAYLOAD_INVALID", `requested_action.identifier must be one of ${DECISION_KINDS.join(", ")}`);
  if (!nonEmptyString(checkRun.external_id, 255)) return refuse("CHANNEL_PAYLOAD_INVALID", "the check run carries no approval id (external_id)");
  const sender = isRecord(payload.sender) ? payload.sender : {};
  if (!nonEmptyString(sender.login, 100)) return refuse("CHANNEL_PAYLOAD_INVALID", "the delivery names no sender");
  const repository = isRecord(payload.repository) ? payload.repository : {};
  const installation = isRecord(payload.installation) ? payload.installation : {};
  return {
    ok: true,
    decision: {
      approval_id: checkRun.external_id,
      decision: requested.identifier,
      channel: "github",
      actor: { id: sender.login, display: sender.login },
      replay_key: `github:${delivery}`,
    },
    origin: {
      repository: typeof repository.full_name === "string" ? repository.full_name : null,
      installation_id: num(installation.id),
      check_run_id: num(checkRun.id),
    },
  };
}
