/** A tenant ready for runs: keys by role, a WPC allowing the journey's model, host and files, a provider key, a running agent. */
import { createClaweaClient, unwrap, type ClaweaClient } from "@clawea/sdk";

export interface JourneyTenant {
  tenantId: string;
  admin: ClaweaClient;
  /** Starts runs (developer). */
  developer: ClaweaClient;
  /** Approves (security). */
  approver: ClaweaClient;
  auditor: ClaweaClient;
  tokens: { admin: string; developer: string; approver: string; auditor: string };
  policyHash: string;
  agentId: string;
}

export const JOURNEY_MODEL = "scripted/scripted-1";

/** `<provider>/<model>`, as the gateway routes it. */
export function splitModel(model: string): [string, string] {
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) throw new Error(`a model is <provider>/<name>, got ${model}`);
  return [model.slice(0, slash), model.slice(slash + 1)];
}

/** The WPC: the scripted model, POSTs to the allowed host, writes under `notes/`; nothing else. */
export function journeyPolicy(allowedHost: string, options: { stateless?: boolean; model?: string } = {}): Record<string, unknown> {
  const [provider, name] = splitModel(options.model ?? JOURNEY_MODEL);
  return {
    policy_version: "2",
    policy_id: "journey-release-bot",
    issuer_did: "did:web:clawea.local",
    statements: [
      { sid: "model", effect: "Allow", actions: ["model:invoke"], resources: [name], conditions: { StringEquals: { "Model:Provider": provider } } },
      { sid: "status-service", effect: "Allow", actions: ["side_effect:network_egress"], resources: [allowedHost] },
      { sid: "notes", effect: "Allow", actions: ["side_effect:filesystem_write"], resources: ["notes/**"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 100_000, max_cost_minor_per_run: 100 }, ...(options.stateless ? { stateless: true } : {}) } },
  };
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
export { waitFor };

export interface TenantSetupInput {
  baseUrl: string;
  bootstrapKey: string;
  allowedHost: string;
  name: string;
  say: (line: string) => void;
  stateless?: boolean;
  /** `<provider>/<model>`; default the local scripted model. */
  model?: string;
  /** The provider's API key, stored as the `provider_key` secret named after the provider (the scripted model takes any). */
  providerKey?: string;
}

export async function setUpTenant(input: TenantSetupInput): Promise<JourneyTenant> {
  const model = input.model ?? JOURNEY_MODEL;
  const [provider] = splitModel(model);
  const client = (token: string) => createClaweaClient({ baseUrl: input.baseUrl, token });
  const created = unwrap(await client(input.bootstrapKey).POST("/v1/tenants", { body: { name: input.name } }));
  const admin = client(created.admin_key.token);
  input.say(`tenant ${created.tenant.id} created, with an admin key (shown once)`);
  const key = async (name: string, roles: ("developer" | "security" | "auditor")[]) => unwrap(await admin.POST("/v1/api-keys", { body: { name, roles } })).token;
  const tokens = { admin: created.admin_key.token, developer: await key("dev", ["developer"]), approver: await key("sec", ["security"]), auditor: await key("audit", ["auditor"]) };
  input.say("keys created: developer (starts runs), security (approves), auditor (exports)");

  const policy = unwrap(await admin.POST("/v1/policies", { body: { document: journeyPolicy(input.allowedHost, { stateless: input.stateless ?? false, model }), name: "release bot" } }));
  unwrap(await admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: policy.hash } }));
  input.say(`WPC ${policy.hash} registered and set as the tenant default (model ${model}, egress ${input.allowedHost}, writes notes/**)`);

  unwrap(await admin.PUT("/v1/secrets/{name}", { params: { path: { name: provider } }, body: { value: input.providerKey ?? "local-scripted-model-key", kind: "provider_key" } }));
  input.say(`provider key stored as secret \`${provider}\` (sealed at rest, write-only)`);

  const agent = unwrap(await admin.POST("/v1/agents", { body: { template_id: "tpl_reference_small", name: "release-bot", overrides: { model } } }));
  input.say(`agent ${agent.id} deploying (reference runtime, ${agent.did})`);
  const running = await waitFor(
    "the agent to run",
    async () => unwrap(await admin.GET("/v1/agents/{agent_id}", { params: { path: { agent_id: agent.id } } })),
    (a) => a.status === "running" || a.status === "failed",
    120_000,
  );
  if (running.status !== "running") throw new Error(`the agent failed to deploy: ${JSON.stringify(running)}`);
  input.say("agent running in its sandbox; its only way out is the gateway");
  return {
    tenantId: created.tenant.id,
    admin,
    developer: client(tokens.developer),
    approver: client(tokens.approver),
    auditor: client(tokens.auditor),
    tokens,
    policyHash: policy.hash,
    agentId: agent.id,
  };
}
