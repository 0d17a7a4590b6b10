/**
 * The approval id a callback claims, read WITHOUT verifying it. Its only use: find the approval, hence
 * the tenant, hence the secret to verify the callback with. Nothing else may be trusted before
 * verification, and the verified decision's approval id must then be the one peeked.
 */
import type { ChannelName } from "./card.model.js";
import { githubEventPayload } from "./github.callback.js";
import { slackClaweaAction, slackInteractionPayload } from "./slack.callback.js";
import { teamsActionData, teamsActivity } from "./teams.callback.js";

export function peekApprovalId(channel: ChannelName, rawBody: string | Uint8Array): string | null {
  switch (channel) {
    case "slack": {
      const payload = slackInteractionPayload(rawBody);
      const found = payload === null ? null : slackClaweaAction(payload);
      return typeof found === "object" && found !== null && typeof found.action.value === "string" && found.action.value !== "" ? found.action.value : null;
    }
    case "teams": {
      const activity = teamsActivity(rawBody);
      const id = activity === null ? undefined : teamsActionData(activity)?.clawea_approval_id;
      return typeof id === "string" && id !== "" ? id : null;
    }
    case "github": {
      const checkRun = githubEventPayload(rawBody)?.check_run;
      const id = typeof checkRun === "object" && checkRun !== null ? (checkRun as Record<string, unknown>).external_id : undefined;
      return typeof id === "string" && id !== "" ? id : null;
    }
  }
}
