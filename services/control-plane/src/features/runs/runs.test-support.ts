// Test-only: a tenant with a running agent under a WPC, and runs brought to the state a test needs.
import { eq } from "drizzle-orm";
import { agents, runs } from "@clawea/db";
import { buildPlan } from "@clawea/policy";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import type { TestPlatform } from "../../app.test-support.js";
import { createApprovalsService } from "../approvals/approvals.service.js";

const WPC = {
  policy_version: "2",
  policy_id: "runs-test",
  issuer_did: "did:web:clawea.test",
  statements: [{ sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["https://api.example.com"] }],
  metadata: { clawea: { budget: { max_tokens_per_run: 1000, max_cost_minor_per_run: 10 } } },
};

/** A tenant with a running agent under a WPC (the data plane would report `running`; here the row is set). */
export async function tenantWithAgent(platform: TestPlatform, name: string) {
  const t = await platform.tenant(name);
  const policy = unwrap(await t.admin.POST("/v1/policies", { body: { document: WPC } }));
  unwrap(await t.admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: policy.hash } }));
  const agent = unwrap(await t.admin.POST("/v1/agents", { body: { template_id: "tpl_reference_small", name: "bot" } }));
  await platform.database.db.update(agents).set({ status: "running", pendingAction: null, pendingActionId: null, pendingActionAt: null }).where(eq(agents.id, agent.id));
  const developer = await platform.keyWith(t.admin, ["developer"]);
  const auditor = await platform.keyWith(t.admin, ["auditor"]);
  const security = await platform.keyWith(t.admin, ["security"]);
  return { ...t, agentId: agent.id, developer, auditor, security, policyHash: policy.hash };
}

export const start = (client: ClaweaClient, agentId: string, task = "do the thing") =>
  client.POST("/v1/agents/{agent_id}/runs", { params: { path: { agent_id: agentId } }, body: { task, mission_id: "m-1" } }).then(unwrap);

/** A run whose plan (one egress) awaits approval, as the data plane leaves it, with its approval opened. */
export async function runAwaitingApproval(platform: TestPlatform, t: Awaited<ReturnType<typeof tenantWithAgent>>) {
  const run = await start(t.developer, t.agentId);
  const plan = buildPlan({
    intended_side_effects: [{ kind: "network_egress", target: "https://api.example.com:443", summary: "POST", risk_flags: [] }],
    workspace_diff: { files: [] },
    estimate: { tokens: 1, cost_minor: 0, duration_ms: 1 },
  });
  await platform.database.db.update(runs).set({ state: "awaiting_approval", phase: null, plan, planHash: plan.plan_hash_b64u }).where(eq(runs.id, run.id));
  const service = createApprovalsService({ db: platform.database.db, keyring: platform.keyring, signer: platform.signer, jobsWritten: () => undefined, now: () => new Date() });
  const approval = (await service.requestApproval(t.id, run.id))!;
  return { run, approval, service };
}
