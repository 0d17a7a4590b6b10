/** A tenant's approval channels: as stored (secrets named, not held) and as a sender needs them (resolved). */

/** Stored per tenant. Every `*_secret` field is the name of a tenant secret; the caller resolves it. */
export interface ChannelConfig {
  slack?: {
    bot_token_secret: string;
    /** Channel id (C…) the card is posted to. */
    channel: string;
    /** Verifies interaction callbacks (`verifySlackInteraction`). */
    signing_secret_secret: string;
    /** Default `https://slack.com/api/`. */
    api_url?: string;
  };
  teams?: {
    /** The incoming-webhook or Workflows URL: whoever holds it can post to the channel, so it is a secret. */
    webhook_url_secret: string;
    /** Base64 HMAC key the Teams relay signs callbacks with (`verifyTeamsCallback`). */
    hmac_secret_secret: string;
  };
  github?: {
    /** A GitHub App installation token: only GitHub Apps may create check runs. */
    token_secret: string;
    owner: string;
    repo: string;
    /** Verifies `check_run` webhook deliveries (`verifyGithubWebhook`). */
    webhook_secret_secret: string;
    /** Default `https://api.github.com`; GitHub Enterprise Server: `https://HOST/api/v3`. */
    api_url?: string;
    /** The commit the check run is attached to; without it, the head of `pr_number`. */
    head_sha?: string;
    /** Pull request to comment on (and whose head commit carries the check run when `head_sha` is absent). */
    pr_number?: number;
  };
}

export interface SlackSendConfig {
  bot_token: string;
  channel: string;
  api_url?: string;
}

export interface TeamsSendConfig {
  webhook_url: string;
}

export interface GithubSendConfig {
  token: string;
  owner: string;
  repo: string;
  api_url?: string;
  head_sha?: string;
  pr_number?: number;
}

/** What sending needs: the stored config with the sending secrets resolved (callback secrets are for the verifiers). */
export interface ResolvedChannelConfig {
  slack?: SlackSendConfig;
  teams?: TeamsSendConfig;
  github?: GithubSendConfig;
}

export interface SenderDeps {
  /** Per vendor request; default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
