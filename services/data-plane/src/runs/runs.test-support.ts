// Test-only: a running agent whose signing key the data plane holds sealed, as the control plane leaves it.
import { agents, seal, sealBinding, type Db, type Keyring } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";

export async function insertSigningAgent(
  db: Db,
  agent: { tenantId: string; agentId: string; key: KeyPair; keyring: Keyring; policyHash: string; sandboxId?: string },
): Promise<void> {
  await db.insert(agents).values({
    id: agent.agentId,
    tenantId: agent.tenantId,
    templateId: "tpl_reference_small",
    name: "a",
    status: "running",
    did: agent.key.did,
    signingKeySealed: seal(agent.keyring, agent.key.privateKey, sealBinding.agentKey(agent.tenantId, agent.agentId)),
    policyHash: agent.policyHash,
    runtime: "reference",
    model: "scripted/scripted-1",
    cpuMillis: 100,
    memoryMb: 64,
    diskMb: 64,
    sleepAfterSeconds: 60,
    stateless: false,
    sandboxId: agent.sandboxId ?? null,
  });
}
