/**
 * Shapes of the audit read model the dashboard shows. The API types `run`, `approval` and the summary's
 * lists loosely (`Record<string, unknown>`), so these name the fields the dashboard reads; every
 * field is read defensively in the views.
 */

export interface SideEffectIntent {
  kind: string;
  target: string;
  summary?: string;
  risk_flags?: string[];
}

export interface WorkspaceFile {
  path: string;
  change: string;
  sha256_b64u?: string;
  size_bytes?: number;
}

export interface RunEvent {
  seq: number;
  event_type: string;
  timestamp: string;
  actor: string;
  payload: Record<string, unknown>;
  event_hash_b64u: string;
  prev_hash_b64u: string | null;
}

export interface AuditRunView {
  id: string;
  agent_id: string;
  state: string;
  phase?: string;
  task?: string;
  mission_id: string | null;
  policy_hash: string;
  plan: {
    intended_side_effects?: SideEffectIntent[];
    workspace_diff?: { files?: WorkspaceFile[] };
    estimate?: Record<string, unknown>;
    plan_hash_b64u?: string;
  } | null;
  plan_hash: string | null;
  scope_hash: string | null;
  reason_code: string | null;
  refused: { kind: string; target: string; reason_code: string }[] | null;
  events: RunEvent[];
  created_at: string;
  completed_at: string | null;
}

export interface Scope {
  scope_hash_b64u: string;
  side_effects: { kind: string; target: string }[];
}

export interface ApprovalView {
  id: string;
  status: string;
  mode: string | null;
  decided_by: string | null;
  decided_via: string | null;
  decided_at: string | null;
  reason?: string | null;
  expires_at?: string;
  granted_scope: Scope | null;
  requested_scope: Scope | null;
  receipt: Record<string, unknown> | null;
}

export interface PerformedSideEffect {
  kind: string;
  target: string;
  performed: boolean;
  reason_code: string | null;
}

export const ACTIVE_STATES: readonly string[] = ["planning", "awaiting_approval", "applying"];
