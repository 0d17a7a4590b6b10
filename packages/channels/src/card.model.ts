/** What an approval card says and what a channel answers: the types every adapter shares, and the button catalogue. */

export const CHANNELS = ["slack", "teams", "github"] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const DECISION_KINDS = ["approve_once", "approve_scope", "deny"] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface IntendedAction {
  kind: string;
  target: string;
  summary: string;
  risk_flags: string[];
}

export interface CardFileChange {
  path: string;
  change: "added" | "modified" | "deleted";
  size_bytes?: number;
}

/** One human approval request for one run's plan, as the approvals service hands it to every channel. */
export interface ApprovalCard {
  approval_id: string;
  run_id: string;
  tenant_id: string;
  agent: { id: string; name: string };
  task: string;
  /** API key id or name. */
  requested_by: string;
  plan: {
    plan_hash_b64u: string;
    intended_side_effects: IntendedAction[];
    workspace_diff: { files: CardFileChange[] };
    estimate: { tokens: number; cost_minor: number; duration_ms: number };
    risk_flags: string[];
  };
  scope_hash_b64u: string;
  policy_hash_b64u: string;
  /** RFC 3339: the service refuses card decisions after this. */
  expires_at: string;
  /** How long "Approve for scope" lasts. */
  scope_grant_ttl_seconds: number;
  /** Link to the run in the dashboard. */
  dashboard_url?: string;
}

/** An authenticated click on one of the card's buttons. */
export interface ChannelDecision {
  approval_id: string;
  decision: DecisionKind;
  channel: ChannelName;
  actor: { id: string; display?: string };
  reason?: string;
  /** Identifies this exact callback delivery: store it in a unique column and refuse a second one. */
  replay_key: string;
}

/** What became of a card, to replace its buttons once nobody should press them any more. */
export type CardOutcome =
  | { status: "decided"; decision: DecisionKind; actor: { id: string; display?: string }; via: ChannelName; decided_at: string }
  | { status: "expired"; expired_at: string };

interface ButtonSpec {
  /** Slack `action_id`. */
  slack_action_id: string;
  /** Button text everywhere; at most 20 characters (GitHub's limit for check-run action labels). */
  label: string;
  /** Past tense, for the card once decided. */
  done: string;
}

export const BUTTONS: { readonly [K in DecisionKind]: Readonly<ButtonSpec> } = Object.freeze({
  approve_once: { slack_action_id: "clawea_approve_once", label: "Approve once", done: "Approved once" },
  approve_scope: { slack_action_id: "clawea_approve_scope", label: "Approve for scope", done: "Approved for scope" },
  deny: { slack_action_id: "clawea_deny", label: "Deny", done: "Denied" },
});

export function isDecisionKind(value: unknown): value is DecisionKind {
  return typeof value === "string" && (DECISION_KINDS as readonly string[]).includes(value);
}
