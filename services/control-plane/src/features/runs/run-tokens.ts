/**
 * The CSTs a run carries: plan phase (model calls and egress, which the gateway captures rather than
 * performs) and apply phase (pinned to the approved scope hash and the WPC hash). Minted by the
 * control plane, whose did:key the gateway trusts as issuer, and handed to the data plane sealed
 * under the KEK, bound to tenant, run and phase.
 */
import { randomUUID } from "node:crypto";
import { seal, sealBinding, type Keyring } from "@clawea/db";
import { CST_GATEWAY_AUDIENCE, mintCst, type RunPhase } from "@clawea/policy";
import type { KeyPair } from "@clawea/protocol";


const GRANTS: Readonly<Record<RunPhase, readonly string[]>> = {
  plan: ["model:invoke", "side_effect:network_egress"],
  apply: ["model:invoke", "side_effect:network_egress", "side_effect:filesystem_write", "side_effect:filesystem_delete"],
};

export interface RunTokenInput {
  signer: KeyPair;
  keyring: Keyring;
  tenantId: string;
  runId: string;
  agentDid: string;
  phase: RunPhase;
  policyHash: string;
  missionId: string | null;
  approvedScopeHash?: string;
  ttlSeconds: number;
  now: Date;
}

export interface RunToken {
  jti: string;
  expiresAt: Date;
  sealed: string;
}

export async function mintRunToken(input: RunTokenInput): Promise<RunToken> {
  const jti = `cst_${randomUUID().replaceAll("-", "")}`;
  const exp = Math.floor(input.now.getTime() / 1000) + input.ttlSeconds;
  const token = await mintCst({
    claims: {
      sub: input.agentDid,
      aud: CST_GATEWAY_AUDIENCE,
      exp,
      policy_hash_b64u: input.policyHash,
      scope: [...GRANTS[input.phase]],
      jti,
      ...(input.missionId ? { mission_id: input.missionId } : {}),
    },
    binding: {
      tenant_id: input.tenantId,
      run_id: input.runId,
      phase: input.phase,
      ...(input.approvedScopeHash ? { approved_scope_hash_b64u: input.approvedScopeHash } : {}),
    },
    signer: input.signer,
    now: input.now.toISOString(),
  });
  return { jti, expiresAt: new Date(exp * 1000), sealed: seal(input.keyring, token, sealBinding.runToken(input.tenantId, input.runId, input.phase)) };
}
