/** Pure rules of approvals: who may decide, and what a decision grants. */
import { scopeFrom, type ApprovedScope, type ScopeEntry } from "@clawea/policy";

export type DecisionKind = "approve_once" | "approve_scope" | "deny";

export type Approver =
  | { kind: "key"; keyId: string; roles: readonly string[]; via: "api" | "dashboard" }
  | { kind: "channel"; channel: "slack" | "teams" | "github"; id: string; display?: string };

export interface ApprovalSettings {
  approverRoles: readonly string[];
  allowSelfApproval: boolean;
  approvalTtlSeconds: number;
  scopeGrantTtlSeconds: number;
  channels: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: ApprovalSettings = {
  approverRoles: ["admin", "security"],
  allowSelfApproval: false,
  approvalTtlSeconds: 86_400,
  scopeGrantTtlSeconds: 3_600,
  channels: {},
};

export function approverSubject(approver: Approver): string {
  return approver.kind === "key" ? `key:${approver.keyId}` : `${approver.channel}:${approver.id}`;
}

/**
 * Keys need an approver role; the requester may not approve their own run unless the tenant allows
 * it. People on channels were admitted by the tenant's channel configuration (who is in the Slack
 * channel, who can act on the repository): the channel's signature proves the click, the channel
 * config is the role rule.
 */
export function mayDecide(approver: Approver, requestedByKeyId: string | null, settings: ApprovalSettings): { ok: true } | { ok: false; detail: string } {
  if (approver.kind === "channel") return { ok: true };
  if (!approver.roles.some((role) => settings.approverRoles.includes(role))) {
    return { ok: false, detail: `approvers need one of the roles ${settings.approverRoles.join(", ")}` };
  }
  if (!settings.allowSelfApproval && requestedByKeyId !== null && requestedByKeyId === approver.keyId) {
    return { ok: false, detail: "the requester cannot approve their own run (tenant setting allow_self_approval is off)" };
  }
  return { ok: true };
}

/**
 * The scope a decision grants: the plan's whole scope, or the narrower subset the approver names.
 * Returns null when the subset names something the plan does not ask for.
 */
export function grantedScope(requested: ApprovedScope, narrower: readonly ScopeEntry[] | undefined): ApprovedScope | null {
  if (narrower === undefined) return requested;
  const asked = new Set(requested.side_effects.map((e) => `${e.kind}\n${e.target}`));
  let granted: ApprovedScope;
  try {
    granted = scopeFrom(narrower);
  } catch {
    return null;
  }
  return granted.side_effects.every((e) => asked.has(`${e.kind}\n${e.target}`)) ? granted : null;
}

/** What a deny refuses, for the agent to adapt: every intended action the grant leaves out. */
export function refusedActions(requested: ApprovedScope, granted: ApprovedScope | null, reasonCode: string) {
  const kept = new Set((granted?.side_effects ?? []).map((e) => `${e.kind}\n${e.target}`));
  return requested.side_effects.filter((e) => !kept.has(`${e.kind}\n${e.target}`)).map((e) => ({ kind: e.kind, target: e.target, reason_code: reasonCode }));
}
