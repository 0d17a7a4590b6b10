/**
 * @clawea/channels: the approval card on Slack, Microsoft Teams and GitHub. Pure card builders and
 * callback verifiers; senders that do the vendor I/O and answer failures with reason codes.
 */
export {
  BUTTONS,
  CHANNELS,
  DECISION_KINDS,
  isDecisionKind,
  type ApprovalCard,
  type CardFileChange,
  type CardOutcome,
  type ChannelDecision,
  type ChannelName,
  type DecisionKind,
  type IntendedAction,
} from "./card.model.js";
export {
  DEFAULT_TIMEOUT_MS,
  type ChannelConfig,
  type GithubSendConfig,
  type ResolvedChannelConfig,
  type SenderDeps,
  type SlackSendConfig,
  type TeamsSendConfig,
} from "./config.model.js";

export { SLACK_ACTIONS_BLOCK_ID, SLACK_LIMITS, slackBlocks, slackFallbackText, slackOutcomeBlocks } from "./slack.card.js";
export {
  TEAMS_MAX_MESSAGE_BYTES,
  TEAMS_REASON_INPUT_ID,
  teamsAdaptiveCard,
  teamsWebhookMessage,
  type AdaptiveAction,
  type AdaptiveCard,
  type AdaptiveElement,
  type TeamsActionData,
} from "./teams.card.js";
export { GITHUB_CHECK_NAME, GITHUB_LIMITS, githubCheckRun, githubPrComment, type GithubCheckRunParams } from "./github.card.js";

export { SLACK_API_URL, sendSlackCard, updateSlackCard, type SlackMessageRef } from "./slack.sender.js";
export { sendTeamsCard, type TeamsDeliveryRef } from "./teams.sender.js";
export { GITHUB_API_URL, sendGithubCheckRun, type GithubCheckRunRef } from "./github.sender.js";
export { sendApprovalCard, type ChannelSendFailure, type ChannelSendResult, type SendApprovalCardOptions } from "./send.dispatch.js";
export { deliveryCodeFor, type DeliveryErrorExtra, type DeliveryReasonCode } from "./delivery.errors.js";

export { CALLBACK_MAX_SKEW_SECONDS, type CallbackReasonCode, type CallbackResult, type RequestHeaders } from "./callback.model.js";
export { verifySlackInteraction, type SlackInteractionInput, type SlackOrigin } from "./slack.callback.js";
export { verifyTeamsCallback, type TeamsCallbackInput, type TeamsOrigin } from "./teams.callback.js";
export { verifyGithubWebhook, type GithubOrigin, type GithubWebhookInput } from "./github.callback.js";
export { peekApprovalId } from "./callback.peek.js";
