/**
 * What each `clawea-runs` job does. Phase A (`run.plan`): the agent runs on a scratch copy with the
 * plan CST; the gateway captured every side effect it tried; the workspace diff and the captured
 * egress become the plan, whose hash the approval will pin. Phase B (`run.apply`): refused unless the
 * apply CST verifies (issuer, expiry, revocation, run, phase, WPC, approved scope) and the plan is the
 * one approved; the agent runs again with the apply CST (the gateway lets exactly the approved egress
 * through) and only the file changes inside the approved scope reach the workspace. Every run ends
 * with its evidence (`evidence.ts`), denied and cancelled ones too (`run.finalize`).
 *
 * Each handler is safe to run twice: it acts only while the run is in the state it expects, and
 * every state move is conditional on that state.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import type { Redis } from "ioredis";
import { agents, approvals, egressRecords, gatewayReceipts, policies, runs, sealBinding, unseal, type Db, type Keyring } from "@clawea/db";
import { buildPlan, CST_GATEWAY_AUDIENCE, decide, NO_USAGE, scopeOf, resolvePolicy, verifyCst, type ApprovedScope, type IntendedSideEffect, type Plan, type Policy } from "@clawea/policy";
import { hashJcsB64u } from "@clawea/protocol";
import { enqueue, type JobPayload } from "@clawea/queue";
import { appendRunEvent, isRevoked, isTerminal, moveRun, readRunEvents, type ArtifactStore, type RunRow } from "@clawea/runs";
import type { SandboxProvider, SandboxSpec } from "../sandbox/sandbox.provider.js";
import { recordRunCompute } from "../lifecycle/metering.js";
import { sandboxSpecFor } from "../lifecycle/sandbox-spec.js";
import { runAgent, type AgentRunResult } from "./agent-runner.js";
import type { BuildEvidence } from "./evidence.js";
import { diffManifests, scratchDir, workspace, type FileChange } from "./workspace-tool.js";

export interface RunHandlerDeps {
  db: Db;
  redis: Redis;
  keyring: Keyring;
  provider: SandboxProvider;
  buildEvidence: BuildEvidence;
  artifacts: ArtifactStore;
  /** did:keys whose CSTs the data plane accepts (the control plane's). */
  cstIssuers: readonly string[];
  now: () => Date;
  logger: Logger;
  agentTimeoutMs: number;
  /** Called after a commit that wrote outbox jobs. */
  jobsWritten?: () => void;
  /** The gateway every sandbox is wired to: needed to create a stateless run's own sandbox. */
  gateway: SandboxSpec["gateway"];
}

export type RunOutcome = { outcome: "done"; state: string } | { outcome: "skipped"; reason: string };
type RunPayload = JobPayload<"run.plan">;
type AgentRow = typeof agents.$inferSelect;

const ACTOR = "data-plane";
const newActionId = (): string => `act_${crypto.randomUUID().replaceAll("-", "")}`;

/** OpenClaw's tools follow the agent's tools profile and the WPC in force (web only with egress, writes only with filesystem writes). */
function openclawOptions(agent: AgentRow, policy: Policy) {
  return { toolsProfile: (agent.config as { tools_profile?: unknown }).tools_profile, policy };
}

/** Apply-time estimate from what the plan phase did: each model call and tool call it will repeat. */
export function estimateDurationMs(result: Pick<AgentRunResult, "lines">): number {
  const modelCalls = result.lines.filter((line) => line.type === "model_call").length;
  const toolCalls = result.lines.filter((line) => line.type === "tool_call").length;
  return modelCalls * 2_000 + toolCalls * 250;
}

function fileKind(change: FileChange): "filesystem_write" | "filesystem_delete" {
  return change.change === "deleted" ? "filesystem_delete" : "filesystem_write";
}

export function createRunHandlers(deps: RunHandlerDeps) {
  const { db, provider, now } = deps;

  async function load(payload: RunPayload): Promise<{ run: RunRow; agent: AgentRow } | null> {
    const [run] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, payload.tenant_id), eq(runs.id, payload.run_id)));
    if (!run) return null;
    const [agent] = await db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, run.tenantId), eq(agents.id, run.agentId)));
    return agent ? { run, agent } : null;
  }

  /** The run's WPC, its `inherits` resolved as the gateway and preflight resolve it: the newest registry document with that policy_id. */
  async function policyOf(run: RunRow): Promise<Policy> {
    const [row] = await db
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, run.tenantId), eq(policies.hash, run.policyHash)));
    const newestWithPolicyId = async (policyId: string): Promise<unknown> => {
      const [parent] = await db
        .select({ document: policies.document })
        .from(policies)
        .where(and(eq(policies.tenantId, run.tenantId), sql`${policies.document} ->> 'policy_id' = ${policyId}`))
        .orderBy(desc(policies.createdAt), desc(policies.hash))
        .limit(1);
      return parent?.document;
    };
    const normalized = row ? await resolvePolicy(row.document, newestWithPolicyId) : null;
    if (!normalized?.ok) throw new UnrecoverableError("POLICY_NOT_ASSIGNED");
    return normalized.policy;
  }

  function tokenOf(payload: RunPayload, phase: "plan" | "apply"): string | null {
    if (!payload.cst_sealed) return null;
    try {
      return unseal(deps.keyring, payload.cst_sealed, sealBinding.runToken(payload.tenant_id, payload.run_id, phase)).toString("utf8");
    } catch {
      return null;
    }
  }

  /** Records what the agent did (tool calls) as chain events, in its order, and the phase's compute time as usage. */
  async function recordAgentLines(run: RunRow, phase: string, result: AgentRunResult): Promise<void> {
    await recordRunCompute(db, { tenantId: run.tenantId, agentId: run.agentId, runId: run.id, seconds: result.durationMs / 1000, at: now() });
    await db.transaction(async (tx) => {
      for (const line of result.lines) {
        if (line.type !== "tool_call") continue;
        await appendRunEvent(tx, {
          tenantId: run.tenantId,
          runId: run.id,
          eventType: "tool_call",
          actor: "agent",
          payload: { phase, step: line.step, name: line.name, args_sha256_b64u: line.args_sha256_b64u, outcome: line.outcome, reason_code: line.reason_code ?? null },
          now: now(),
        });
      }
    });
  }

  /**
   * Where the run executes. Under a WPC that requires statelessness (`metadata.clawea.stateless`) the run
   * gets a fresh sandbox of its own, named after the run, with an empty workspace and no persistence; its
   * creation is recorded in the chain (the attestation states statelessness from that record) and it is
   * destroyed when the run ends. Otherwise the agent's own sandbox (a stateless template's sandbox keeps
   * nothing across sleep, but runs share it while it is up).
   */
  async function sandboxFor(run: RunRow, agent: AgentRow, policy: Policy): Promise<string> {
    if (!policy.stateless) return agent.sandboxId!;
    await provider.create({ ...sandboxSpecFor(agent, deps.gateway, run.id), stateless: true });
    const events = await readRunEvents(db, run.tenantId, run.id);
    if (!events.some((e) => e.event_type === "sandbox_created")) {
      await db.transaction((tx) =>
        appendRunEvent(tx, {
          tenantId: run.tenantId,
          runId: run.id,
          eventType: "sandbox_created",
          actor: ACTOR,
          payload: { sandbox_id: run.id, provider: provider.name, stateless: true, required_by: "wpc", policy_hash_b64u: run.policyHash },
          now: now(),
        }),
      );
    }
    return run.id;
  }

  /** Evidence, then the stateless run's own sandbox goes (if it had one). */
  async function finish(run: RunRow): Promise<void> {
    await deps.buildEvidence(run);
    const events = await readRunEvents(db, run.tenantId, run.id);
    if (events.some((e) => e.event_type === "sandbox_created")) await provider.destroy(run.id);
  }

  async function fail(run: RunRow, reasonCode: string, detail: string, log: Logger): Promise<RunOutcome> {
    log.warn({ reason_code: reasonCode, detail }, "run failed");
    const moved = await db.transaction((tx) =>
      moveRun(tx, { tenantId: run.tenantId, runId: run.id, to: "failed", actor: ACTOR, now: now(), patch: { reasonCode }, detail: { reason_code: reasonCode, detail } }),
    );
    if (moved) await finish(moved);
    return { outcome: "done", state: "failed" };
  }

  async function tokensUsed(run: RunRow): Promise<number> {
    const rows = await db
      .select({ envelope: gatewayReceipts.envelope })
      .from(gatewayReceipts)
      .where(and(eq(gatewayReceipts.tenantId, run.tenantId), eq(gatewayReceipts.runId, run.id)));
    return rows.reduce((sum, row) => {
      const p = (row.envelope as { payload?: { tokens_input?: number; tokens_output?: number } }).payload;
      return sum + (p?.tokens_input ?? 0) + (p?.tokens_output ?? 0);
    }, 0);
  }

  return {
    async "run.plan"(payload: RunPayload): Promise<RunOutcome> {
      const log = deps.logger.child({ job: "run.plan", run_id: payload.run_id });
      const loaded = await load(payload);
      if (!loaded || loaded.run.state !== "planning") return { outcome: "skipped", reason: "run is not planning" };
      const { run, agent } = loaded;
      const cst = tokenOf(payload, "plan");
      if (!cst) return fail(run, "CST_MALFORMED", "the plan CST could not be opened", log);
      if (agent.status !== "running" || !agent.sandboxId) return fail(run, "AGENT_NOT_RUNNING", `the agent is ${agent.status}`, log);
      const policy = await policyOf(run);
      const sandboxId = await sandboxFor(run, agent, policy);
      const scratch = scratchDir(run.id, "plan");
      await workspace.prepare(provider, sandboxId, scratch);
      const result = await runAgent(provider, { sandboxId, runtime: agent.runtime, scratch, task: run.task, model: agent.model, phase: "plan", cst, timeoutMs: deps.agentTimeoutMs, openclaw: openclawOptions(agent, policy) });
      await recordAgentLines(run, "plan", result);
      const [before, after] = await Promise.all([workspace.manifest(provider, sandboxId, "."), workspace.manifest(provider, sandboxId, scratch)]);
      const changes = diffManifests(before, after);
      // Outputs are kept content-addressed: the "what changed" view and the export read them.
      for (const change of changes) {
        if (change.change === "deleted") continue;
        const bytes = await provider.readFile(sandboxId, `${scratch}/${change.path}`);
        await deps.artifacts.put(run.tenantId, bytes, "application/octet-stream");
      }
      await workspace.cleanup(provider, sandboxId, scratch);
      if (result.result?.status !== "completed") {
        return fail(run, result.result?.reason_code ?? "RUN_AGENT_FAILED", result.result?.summary ?? `agent exited ${result.exitCode}: ${result.stderrTail.slice(-300)}`, log);
      }

      const captured = await db
        .select({ sideEffect: egressRecords.sideEffect, reasonCode: egressRecords.reasonCode })
        .from(egressRecords)
        .where(and(eq(egressRecords.tenantId, run.tenantId), eq(egressRecords.runId, run.id), eq(egressRecords.phase, "plan")))
        .orderBy(asc(egressRecords.id));
      const intended: IntendedSideEffect[] = captured
        .filter((row) => row.reasonCode === "PLAN_PHASE_SIDE_EFFECT_CAPTURED" && row.sideEffect !== null)
        .map((row) => row.sideEffect as IntendedSideEffect);
      const refusedByPolicy: { kind: string; target: string; reason_code: string }[] = [];
      for (const change of changes) {
        const decision = decide(
          policy,
          { type: "side_effect", kind: fileKind(change), target: change.path, summary: `${change.change} ${change.path}` },
          { phase: "plan", now: now().toISOString(), agent_did: agent.did, usage: NO_USAGE },
        );
        if (decision.effect === "deny" && decision.intended_side_effect) intended.push(decision.intended_side_effect);
        else if (decision.effect === "deny") refusedByPolicy.push({ kind: fileKind(change), target: change.path, reason_code: decision.reason_code });
      }
      const plan: Plan = buildPlan({
        intended_side_effects: intended,
        workspace_diff: { files: changes },
        // Deterministic, so the same task and the same model answers give the same plan hash: the apply
        // phase repeats the plan's model and tool calls; the measured plan time goes in the event instead.
        estimate: { tokens: await tokensUsed(run), cost_minor: 0, duration_ms: estimateDurationMs(result) },
      });
      const scope = scopeOf(plan);
      const at = now();
      await db.transaction(async (tx) => {
        // What the plan would do, in the chain before the approval that judges it.
        for (const effect of plan.intended_side_effects) {
          await appendRunEvent(tx, {
            tenantId: run.tenantId,
            runId: run.id,
            eventType: "side_effect_captured",
            actor: ACTOR,
            payload: { kind: effect.kind, target: effect.target, summary: effect.summary, risk_flags: [...effect.risk_flags], performed: false },
            now: at,
          });
        }
        const moved = await moveRun(tx, {
          tenantId: run.tenantId,
          runId: run.id,
          to: "awaiting_approval",
          actor: ACTOR,
          now: at,
          patch: { plan, planHash: plan.plan_hash_b64u, scopeHash: scope.scope_hash_b64u, refused: refusedByPolicy.length > 0 ? refusedByPolicy : null },
          detail: {
            plan_hash_b64u: plan.plan_hash_b64u,
            scope_hash_b64u: scope.scope_hash_b64u,
            intended_side_effects: plan.intended_side_effects.length,
            files: changes.length,
            plan_phase_ms: Math.round(result.durationMs),
          },
        });
        if (moved) await enqueue(tx, run.tenantId, "approval.request", { tenant_id: run.tenantId, run_id: run.id, action_id: newActionId(), requested_at: at.toISOString() });
      });
      deps.jobsWritten?.();
      log.info({ plan_hash: plan.plan_hash_b64u, side_effects: plan.intended_side_effects.length, files: changes.length }, "plan stored");
      return { outcome: "done", state: "awaiting_approval" };
    },

    async "run.apply"(payload: RunPayload): Promise<RunOutcome> {
      const log = deps.logger.child({ job: "run.apply", run_id: payload.run_id });
      const loaded = await load(payload);
      if (!loaded || loaded.run.state !== "applying") return { outcome: "skipped", reason: "run is not applying" };
      const { run, agent } = loaded;
      const [approval] = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.tenantId, run.tenantId), eq(approvals.runId, run.id)));
      const granted = (approval?.grantedScope as ApprovedScope | null) ?? null;
      if (!approval || approval.status !== "approved" || !granted) return fail(run, "APPROVAL_REQUIRED", "no approved scope for this run", log);

      // Fail closed before anything runs: the capability, then the plan.
      const cst = tokenOf(payload, "apply");
      if (!cst) return fail(run, "APPLY_CST_INVALID", "the apply CST is missing or cannot be opened", log);
      const verified = await verifyCst(cst, {
        trustedIssuers: deps.cstIssuers,
        audience: CST_GATEWAY_AUDIENCE,
        now: now().toISOString(),
        expected: { tenant_id: run.tenantId, run_id: run.id, phase: "apply", agent_did: agent.did, policy_hash_b64u: run.policyHash, approved_scope_hash_b64u: granted.scope_hash_b64u },
        isRevoked: (jti: string) => isRevoked({ db: deps.db, redis: deps.redis, now }, jti),
      });
      if (!verified.ok) return fail(run, "APPLY_CST_INVALID", `${verified.reason_code}: ${verified.detail}`, log);
      const plan = run.plan as Plan | null;
      const { plan_hash_b64u: claimed, ...rest } = (plan ?? {}) as Plan & Record<string, unknown>;
      if (!plan || claimed !== approval.planHash || run.planHash !== approval.planHash || hashJcsB64u(rest) !== approval.planHash) {
        return fail(run, "PLAN_HASH_MISMATCH", "the stored plan is not the plan that was approved", log);
      }
      if (agent.status !== "running" || !agent.sandboxId) return fail(run, "AGENT_NOT_RUNNING", `the agent is ${agent.status}`, log);

      const policy = await policyOf(run);
      const sandboxId = await sandboxFor(run, agent, policy);
      const scratch = scratchDir(run.id, "apply");
      await workspace.prepare(provider, sandboxId, scratch);
      const result = await runAgent(provider, { sandboxId, runtime: agent.runtime, scratch, task: run.task, model: agent.model, phase: "apply", cst, timeoutMs: deps.agentTimeoutMs, openclaw: openclawOptions(agent, policy) });
      await recordAgentLines(run, "apply", result);
      const [before, after] = await Promise.all([workspace.manifest(provider, sandboxId, "."), workspace.manifest(provider, sandboxId, scratch)]);
      const changes = diffManifests(before, after);
      const allowed: FileChange[] = [];
      const refused: { kind: string; target: string; reason_code: string }[] = [...(((run.refused as never) ?? []) as { kind: string; target: string; reason_code: string }[])];
      for (const change of changes) {
        const decision = decide(
          policy,
          { type: "side_effect", kind: fileKind(change), target: change.path, summary: `${change.change} ${change.path}` },
          { phase: "apply", now: now().toISOString(), agent_did: agent.did, approved_scope: granted, usage: NO_USAGE },
        );
        if (decision.effect === "allow") allowed.push(change);
        else refused.push({ kind: fileKind(change), target: change.path, reason_code: decision.reason_code });
      }
      // A run cancelled while its agent worked applies nothing (its CST was revoked at the gateway too).
      const [current] = await db.select({ state: runs.state }).from(runs).where(and(eq(runs.tenantId, run.tenantId), eq(runs.id, run.id)));
      if (current?.state !== "applying") {
        await workspace.cleanup(provider, sandboxId, scratch);
        return { outcome: "skipped", reason: `run became ${current?.state ?? "missing"} during apply` };
      }
      if (result.result?.status === "completed") {
        // What the run wrote is kept content-addressed before it lands in the workspace.
        for (const change of allowed) {
          if (change.change !== "deleted") await deps.artifacts.put(run.tenantId, await provider.readFile(sandboxId, `${scratch}/${change.path}`), "application/octet-stream");
        }
        await workspace.apply(provider, sandboxId, scratch, allowed);
      }
      await workspace.cleanup(provider, sandboxId, scratch);

      const egress = await db
        .select()
        .from(egressRecords)
        .where(and(eq(egressRecords.tenantId, run.tenantId), eq(egressRecords.runId, run.id), eq(egressRecords.phase, "apply")))
        .orderBy(asc(egressRecords.id));
      const at = now();
      const completed = result.result?.status === "completed";
      await db.transaction(async (tx) => {
        for (const record of egress) {
          await appendRunEvent(tx, {
            tenantId: run.tenantId,
            runId: run.id,
            eventType: "side_effect",
            actor: "gateway",
            payload: {
              kind: "network_egress",
              target: `${record.scheme}://${record.host}:${record.port}`,
              method: record.method,
              decision: record.decision,
              reason_code: record.reasonCode,
              performed: record.decision === "allow",
            },
            now: at,
          });
        }
        for (const change of completed ? allowed : []) {
          await appendRunEvent(tx, {
            tenantId: run.tenantId,
            runId: run.id,
            eventType: "side_effect",
            actor: ACTOR,
            payload: { kind: fileKind(change), target: change.path, change: change.change, sha256_b64u: change.sha256_b64u ?? null, size_bytes: change.size_bytes ?? 0, performed: true },
            now: at,
          });
        }
      });
      if (!completed) return fail(run, result.result?.reason_code ?? "RUN_AGENT_FAILED", result.result?.summary ?? `agent exited ${result.exitCode}`, log);
      const moved = await db.transaction((tx) =>
        moveRun(tx, {
          tenantId: run.tenantId,
          runId: run.id,
          to: "completed",
          actor: ACTOR,
          now: at,
          patch: { refused: refused.length > 0 ? refused : null },
          detail: { files_applied: allowed.length, files_refused: changes.length - allowed.length },
        }),
      );
      if (moved) await finish(moved);
      log.info({ files_applied: allowed.length }, "apply done");
      return { outcome: "done", state: "completed" };
    },

    async "run.finalize"(payload: RunPayload): Promise<RunOutcome> {
      const loaded = await load(payload);
      if (!loaded) return { outcome: "skipped", reason: "run not found" };
      if (!isTerminal(loaded.run.state)) return { outcome: "skipped", reason: `run is ${loaded.run.state}` };
      await finish(loaded.run);
      return { outcome: "done", state: loaded.run.state };
    },
  };
}
export type RunHandlers = ReturnType<typeof createRunHandlers>;
