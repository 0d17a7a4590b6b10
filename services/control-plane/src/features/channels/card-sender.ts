/**
 * Sends an approval card to the tenant's configured channels: the channel settings name tenant
 * secrets, opened here just for the send. A secret that is missing makes that channel fail with
 * CHANNEL_NOT_CONFIGURED; the other channels still get the card.
 */
import { openSecret, type Db, type Keyring } from "@clawea/db";
import { sendApprovalCard, type ApprovalCard, type ChannelConfig, type ResolvedChannelConfig } from "@clawea/channels";
import type { CardSender, DeliveryResult } from "../approvals/approvals.service.js";

export function createCardSender(deps: { db: Db; keyring: Keyring; timeoutMs?: number }): CardSender {
  const secret = async (tenantId: string, name: string): Promise<string | null> => (await openSecret(deps.db, deps.keyring, tenantId, name))?.value ?? null;
  return async (tenantId, card, stored) => {
    const config = stored as ChannelConfig;
    const resolved: ResolvedChannelConfig = {};
    const failures: DeliveryResult[] = [];
    if (config.slack) {
      const token = await secret(tenantId, config.slack.bot_token_secret);
      if (token) resolved.slack = { bot_token: token, channel: config.slack.channel, ...(config.slack.api_url ? { api_url: config.slack.api_url } : {}) };
      else failures.push({ channel: "slack", ok: false, reason_code: "CHANNEL_NOT_CONFIGURED" });
    }
    if (config.teams) {
      const url = await secret(tenantId, config.teams.webhook_url_secret);
      if (url) resolved.teams = { webhook_url: url };
      else failures.push({ channel: "teams", ok: false, reason_code: "CHANNEL_NOT_CONFIGURED" });
    }
    if (config.github) {
      const token = await secret(tenantId, config.github.token_secret);
      if (token) {
        resolved.github = {
          token,
          owner: config.github.owner,
          repo: config.github.repo,
          ...(config.github.api_url ? { api_url: config.github.api_url } : {}),
          ...(config.github.head_sha ? { head_sha: config.github.head_sha } : {}),
          ...(config.github.pr_number ? { pr_number: config.github.pr_number } : {}),
        };
      } else failures.push({ channel: "github", ok: false, reason_code: "CHANNEL_NOT_CONFIGURED" });
    }
    const sent = await sendApprovalCard(card as unknown as ApprovalCard, resolved, deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {});
    return [
      ...failures,
      ...sent.map((result): DeliveryResult => (result.ok ? { channel: result.channel, ok: true, external_ref: result.external_ref } : { channel: result.channel, ok: false, reason_code: result.reason_code })),
    ];
  };
}
