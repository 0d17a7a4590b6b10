/**
 * Channel callbacks: a button pressed on an approval card in Slack, Teams or GitHub. Public routes
 * (the vendors hold no API key): the approval the payload names finds the tenant, whose own secret
 * must verify the request's signature over its exact bytes; a verified callback is consumed once
 * (its replay key is stored), then decided by the same service as the API's decisions.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { channelCallbacks, openSecret } from "@clawea/db";
import {
  peekApprovalId,
  verifyGithubWebhook,
  verifySlackInteraction,
  verifyTeamsCallback,
  type CallbackResult,
  type ChannelConfig,
  type ChannelName,
} from "@clawea/channels";
import type { App, AppDeps } from "../../app.js";
import { ApiError, problemResponses } from "../../http/problem.js";
import { loadSettings, type ApprovalsService } from "../approvals/approvals.service.js";

type SecretField = { slack: "signing_secret_secret"; teams: "hmac_secret_secret"; github: "webhook_secret_secret" };
const SECRET_FIELD: SecretField = { slack: "signing_secret_secret", teams: "hmac_secret_secret", github: "webhook_secret_secret" };

export async function channelsRoutes(app: App, deps: AppDeps, approvals: ApprovalsService): Promise<void> {
  const now = deps.now ?? (() => new Date());

  async function handle(channel: ChannelName, request: FastifyRequest, reply: FastifyReply) {
    const rawBody = request.body as Buffer;
    const approvalId = peekApprovalId(channel, rawBody);
    if (!approvalId) {
      // Authentic-or-not, it is not a clawea button press (e.g. GitHub pings): acknowledge and do nothing.
      return reply.code(202).send({ ignored: true });
    }
    const located = await approvals.locate(approvalId);
    if (!located) throw new ApiError("NOT_FOUND", "the callback names no approval");
    const settings = await loadSettings(deps.db, located.tenantId);
    const config = (settings.channels as ChannelConfig)[channel] as Record<string, string> | undefined;
    const secretName = config?.[SECRET_FIELD[channel]];
    const secret = secretName ? (await openSecret(deps.db, deps.keyring, located.tenantId, secretName))?.value : undefined;
    if (!secret) throw new ApiError("CHANNEL_NOT_CONFIGURED", `the tenant has no ${channel} channel with a verification secret`);
    const headers = request.headers as Record<string, string | undefined>;
    let result: CallbackResult<unknown>;
    switch (channel) {
      case "slack":
        result = verifySlackInteraction({ headers, rawBody, signingSecret: secret, now: now() });
        break;
      case "teams":
        result = verifyTeamsCallback({ headers, rawBody, hmacSecret: secret, now: now() });
        break;
      case "github":
        result = await verifyGithubWebhook({ headers, rawBody, secret });
        break;
    }
    if (!result.ok) {
      if (result.ignored) return reply.code(202).send({ ignored: true });
      throw new ApiError(result.reason_code, result.detail);
    }
    const decision = result.decision;
    if (decision.approval_id !== approvalId) throw new ApiError("CHANNEL_PAYLOAD_INVALID", "the verified decision names another approval");
    const inserted = await deps.db
      .insert(channelCallbacks)
      .values({ replayKey: decision.replay_key, tenantId: located.tenantId, approvalId })
      .onConflictDoNothing()
      .returning({ key: channelCallbacks.replayKey });
    if (inserted.length === 0) throw new ApiError("CALLBACK_REPLAYED", "this callback was already received");
    const decided = await approvals.decide(
      located.tenantId,
      approvalId,
      { decision: decision.decision, ...(decision.reason ? { reason: decision.reason } : {}) },
      { kind: "channel", channel, id: decision.actor.id, ...(decision.actor.display ? { display: decision.actor.display } : {}) },
    );
    return reply.code(200).send({ approval_id: decided.id, status: decided.status, run_id: decided.run_id });
  }

  await app.register(async (scope) => {
    // Signatures cover the exact bytes: every body here is kept raw.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));
    const route = (channel: ChannelName, path: string, summary: string) =>
      scope.post(path, { schema: { tags: ["channels"], operationId: `${channel}Callback`, summary, response: problemResponses(404, 409, 422) } }, (request, reply) =>
        handle(channel, request, reply),
      );
    route("slack", "/v1/channels/slack/interactions", "Slack interactivity request URL: a button on an approval card (signed with the tenant's Slack signing secret; replays refused).");
    route("teams", "/v1/channels/teams/callback", "Teams relay callback: a button on an approval card (HMAC with the tenant's shared secret; replays refused).");
    route("github", "/v1/channels/github/webhook", "GitHub webhook (check_run requested_action) for an approval card (X-Hub-Signature-256; replays refused).");
  });
}
