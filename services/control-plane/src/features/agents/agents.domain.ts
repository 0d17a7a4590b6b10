/**
 * The agent lifecycle as data: which status follows which, which requested action is legal when, and
 * what an agent's settings are given its template and overrides. Pure: no I/O, no clock.
 */
import type { AgentAction, AgentStatus } from "@clawea/db";

/**
 * Status edges. The control plane only ever writes `provisioning` (at creation); every other status
 * is the data plane's report of what happened to the sandbox. Any live status may become `failed`.
 */
export const STATUS_EDGES: { readonly [S in AgentStatus]: readonly AgentStatus[] } = {
  provisioning: ["running", "failed", "destroyed"],
  running: ["sleeping", "failed", "destroyed"],
  sleeping: ["running", "failed", "destroyed"],
  failed: ["destroyed"],
  destroyed: [],
};

export function canTransition(from: AgentStatus, to: AgentStatus): boolean {
  return STATUS_EDGES[from].includes(to);
}

/** Actions an API caller may request, the statuses each may start from, and where each leads. */
export const REQUESTABLE = {
  sleep: { from: ["running"], to: "sleeping" },
  wake: { from: ["sleeping"], to: "running" },
  destroy: { from: ["provisioning", "running", "sleeping", "failed"], to: "destroyed" },
} as const satisfies Record<Exclude<AgentAction, "deploy">, { from: readonly AgentStatus[]; to: AgentStatus }>;
export type RequestableAction = keyof typeof REQUESTABLE;

export interface LifecycleState {
  status: AgentStatus;
  /** The action requested and not yet carried out by the data plane. */
  pendingAction: AgentAction | null;
}

export type ActionDecision = { allowed: true } | { allowed: false; detail: string };

/**
 * May `action` be requested now? One action at a time: while one is pending, another is refused
 * (so a repeated sleep cannot enqueue twice), except `destroy`, which supersedes a pending deploy,
 * sleep or wake: destroying must work on an agent whose sandbox is stuck.
 */
export function decideAction(state: LifecycleState, action: RequestableAction): ActionDecision {
  const rule = REQUESTABLE[action];
  if (!(rule.from as readonly AgentStatus[]).includes(state.status)) {
    return { allowed: false, detail: `cannot ${action} an agent that is ${state.status}` };
  }
  if (state.pendingAction !== null && !(action === "destroy" && state.pendingAction !== "destroy")) {
    return { allowed: false, detail: `cannot ${action} while a ${state.pendingAction} is pending` };
  }
  return { allowed: true };
}

export interface DeploySettings {
  model: string;
  resources: { cpu_millis: number; memory_mb: number; disk_mb: number };
  sleep_after_seconds: number;
  stateless: boolean;
  secret_refs: string[];
  config: Record<string, unknown>;
}

export interface Overrides {
  model?: string;
  resources?: Partial<DeploySettings["resources"]>;
  sleep_after_seconds?: number;
  stateless?: boolean;
  secret_refs?: string[];
  config?: Record<string, unknown>;
}

/**
 * An agent's settings: the template's, with each override replacing its field, except `resources`
 * (per resource) and `config` (per top-level key), which are merged over the template's.
 */
export function effectiveSettings(template: DeploySettings, overrides: Overrides = {}): DeploySettings {
  return {
    model: overrides.model ?? template.model,
    resources: { ...template.resources, ...overrides.resources },
    sleep_after_seconds: overrides.sleep_after_seconds ?? template.sleep_after_seconds,
    stateless: overrides.stateless ?? template.stateless,
    secret_refs: overrides.secret_refs ?? template.secret_refs,
    config: { ...template.config, ...overrides.config },
  };
}
