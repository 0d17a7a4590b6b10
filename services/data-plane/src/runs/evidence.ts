/**
 * A run's evidence, built once when it ends: the chain is closed with `run_ended`; the proof bundle
 * (event chain, the gateway's receipts bound to its `llm_call` events, side-effect receipts, the
 * approval receipt) is signed by the agent's key, which the data plane holds sealed and the sandbox
 * never sees; the URM and every output are stored content-addressed; the proof bundle's hash is
 * appended to the transparency log; the execution attestation (signed by the data plane) carries the
 * runtime facts and the log anchoring. Safe to run twice: a run with evidence is left as it is.
 */
import { and, asc, eq } from "drizzle-orm";
import { agents, approvals, gatewayReceipts, runs, sealBinding, unseal, type Db, type Keyring } from "@clawea/db";
import { canonicalize, hashJcsB64u, keyPairFromSeed, sha256B64u, signEnvelope, utf8, type ChainEvent, type KeyPair, type SignedEnvelope } from "@clawea/protocol";
import { appendRunEvent, readRunEvents, type ArtifactStore, type RunRow } from "@clawea/runs";

export interface LogAnchor {
  /** Appends `leafHash` and returns the signed inclusion proof (Clawsig `log_inclusion_proof`). */
  anchor(input: { tenantId: string; runId: string; leafHashB64u: string }): Promise<Record<string, unknown>>;
}

export interface EvidenceDeps {
  db: Db;
  keyring: Keyring;
  /** The data plane's key: signs execution attestations. */
  signer: KeyPair;
  artifacts: ArtifactStore;
  log: LogAnchor | null;
  now: () => Date;
  /** Per agent runtime: the content digest of what runs in the sandbox and the Node version it runs on. */
  runtime: { provider: string; providerVersion: string; runtimes: Record<string, { digest: string; nodeVersion: string; version?: string }> };
  /**
   * How long to wait for gateway receipts still being stored (the gateway writes them behind its
   * answers, batched over a few milliseconds) before building without them. Default 5 s.
   */
  receiptWaitMs?: number;
}

const RECEIPT_POLL_MS = 25;

export interface RunEvidence {
  proof_bundle_sha256_b64u: string;
  execution_attestation_sha256_b64u: string;
  urm_sha256_b64u: string;
  log_leaf_hash_b64u: string | null;
  log_inclusion_proof_sha256_b64u: string | null;
  event_count: number;
  receipt_count: number;
  stateless: boolean;
  built_at: string;
}

const JSON_TYPE = "application/json";

function toChainEvent(event: ChainEvent): ChainEvent {
  return {
    event_id: event.event_id,
    run_id: event.run_id,
    event_type: event.event_type,
    timestamp: event.timestamp,
    payload_hash_b64u: event.payload_hash_b64u,
    prev_hash_b64u: event.prev_hash_b64u,
    event_hash_b64u: event.event_hash_b64u,
  };
}

export function createEvidenceBuilder(deps: EvidenceDeps) {
  const { db } = deps;

  async function storeJson(tenantId: string, value: unknown) {
    return deps.artifacts.put(tenantId, utf8(canonicalize(value as never)), JSON_TYPE);
  }

  /**
   * The run's gateway receipts, once every receipt its `llm_call` events name is stored, or as they are
   * when `receiptWaitMs` has passed (a gateway that died before storing one).
   */
  async function receiptsOf(run: RunRow, named: ReadonlySet<string>) {
    const deadline = Date.now() + (deps.receiptWaitMs ?? 5_000);
    for (;;) {
      const rows = await db
        .select({ envelope: gatewayReceipts.envelope, receiptId: gatewayReceipts.receiptId })
        .from(gatewayReceipts)
        .where(and(eq(gatewayReceipts.tenantId, run.tenantId), eq(gatewayReceipts.runId, run.id)))
        .orderBy(asc(gatewayReceipts.createdAt));
      const stored = new Set(rows.map((row) => row.receiptId));
      if ([...named].every((id) => stored.has(id)) || Date.now() >= deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, RECEIPT_POLL_MS));
    }
  }

  return async function buildEvidence(run: RunRow): Promise<RunEvidence | null> {
    if (run.evidence !== null) return run.evidence as RunEvidence;
    const [agent] = await db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, run.tenantId), eq(agents.id, run.agentId)));
    if (!agent) return null;
    const at = deps.now();

    // Close the chain once: a retried build finds `run_ended` already there.
    let events = await readRunEvents(db, run.tenantId, run.id);
    if (!events.some((e) => e.event_type === "run_ended")) {
      await db.transaction((tx) =>
        appendRunEvent(tx, {
          tenantId: run.tenantId,
          runId: run.id,
          eventType: "run_ended",
          actor: "data-plane",
          payload: { state: run.state, reason_code: run.reasonCode, plan_hash_b64u: run.planHash, mission_id: run.missionId },
          now: at,
        }),
      );
      events = await readRunEvents(db, run.tenantId, run.id);
    }
    const chain = events.map(toChainEvent);
    const hashes = new Set(chain.map((e) => e.event_hash_b64u));

    const namedReceipts = new Set(events.flatMap((e) => (e.event_type === "llm_call" && typeof e.payload["receipt_id"] === "string" ? [e.payload["receipt_id"]] : [])));
    const receiptRows = await receiptsOf(run, namedReceipts);
    const receipts = receiptRows
      .map((row) => row.envelope as SignedEnvelope<{ binding?: { event_hash_b64u?: string } }>)
      .filter((envelope) => hashes.has(envelope.payload.binding?.event_hash_b64u ?? ""));

    const [approval] = await db
      .select({ receipt: approvals.receipt })
      .from(approvals)
      .where(and(eq(approvals.tenantId, run.tenantId), eq(approvals.runId, run.id)));
    const approvalEnvelope = (approval?.receipt as SignedEnvelope<Record<string, unknown>> | null) ?? null;

    const sideEffectReceipts = events
      .filter((e) => e.event_type === "side_effect" && e.payload["performed"] === true)
      .map((e) => ({
        receipt_version: "1",
        receipt_id: `ser_${e.event_id}`,
        effect_class: String(e.payload["kind"]),
        target_digest: sha256B64u(utf8(String(e.payload["target"]))),
        hash_algorithm: "SHA-256",
        agent_did: agent.did,
        timestamp: e.timestamp,
        bytes_written: typeof e.payload["size_bytes"] === "number" ? e.payload["size_bytes"] : 0,
        binding: { run_id: run.id, event_hash_b64u: e.event_hash_b64u },
      }));

    const agentKey = keyPairFromSeed(unseal(deps.keyring, agent.signingKeySealed, sealBinding.agentKey(run.tenantId, agent.id)));
    const proofBundle = signEnvelope({
      envelopeType: "proof_bundle",
      signer: agentKey,
      issuedAt: at.toISOString(),
      payload: {
        bundle_version: "1",
        bundle_id: `pb_${run.id}`,
        agent_did: agent.did,
        event_chain: chain,
        ...(receipts.length > 0 ? { receipts } : {}),
        ...(sideEffectReceipts.length > 0 ? { side_effect_receipts: sideEffectReceipts } : {}),
        ...(approvalEnvelope ? { human_approval_receipts: [approvalEnvelope.payload] } : {}),
        metadata: { harness: { id: `clawea-${agent.runtime}`, version: "0.1.0", runtime: agent.runtime } },
      },
    });
    agentKey.privateKey.fill(0);
    const proofStored = await storeJson(run.tenantId, proofBundle);

    // The URM in the upstream `urm.v1` shape: inputs (task, WPC, inputs), outputs (files the run wrote), chain and receipts roots.
    const written = events.filter((e) => e.event_type === "side_effect" && e.payload["performed"] === true && typeof e.payload["sha256_b64u"] === "string");
    const urm = {
      urm_version: "1",
      urm_id: `urm_${run.id}`,
      run_id: run.id,
      agent_did: agent.did,
      issued_at: at.toISOString(),
      harness: { id: `clawea-${agent.runtime}`, version: "0.1.0", runtime: "clawea" },
      inputs: [
        { type: "task", hash_b64u: sha256B64u(utf8(run.task)), content_type: "text/plain", size_bytes: utf8(run.task).length },
        { type: "work_policy_contract", hash_b64u: run.policyHash, content_type: "application/json" },
        { type: "run_inputs", hash_b64u: hashJcsB64u(run.inputs), content_type: "application/json" },
      ],
      outputs: written.map((e) => ({
        type: "file",
        hash_b64u: String(e.payload["sha256_b64u"]),
        path: String(e.payload["target"]),
        size_bytes: typeof e.payload["size_bytes"] === "number" ? e.payload["size_bytes"] : 0,
        metadata: { change: e.payload["change"] },
      })),
      event_chain_root_hash_b64u: chain[chain.length - 1]!.event_hash_b64u,
      ...(receipts.length > 0 ? { receipts_root_hash_b64u: hashJcsB64u(receipts.map((r) => r.payload_hash_b64u)) } : {}),
      proof_bundle_hash_b64u: proofBundle.payload_hash_b64u,
      metadata: { mission_id: run.missionId, state: run.state, reason_code: run.reasonCode, plan_hash_b64u: run.planHash, policy_hash_b64u: run.policyHash },
    };
    const urmStored = await storeJson(run.tenantId, urm);

    const inclusionProof = deps.log ? await deps.log.anchor({ tenantId: run.tenantId, runId: run.id, leafHashB64u: proofBundle.payload_hash_b64u }) : null;
    const inclusionStored = inclusionProof ? await storeJson(run.tenantId, inclusionProof) : null;

    const agentRuntime = deps.runtime.runtimes[agent.runtime];
    const runSandbox = events.find((e) => e.event_type === "sandbox_created" && e.payload["stateless"] === true);
    const stateless = agent.stateless || runSandbox !== undefined;
    const scopeHash = approvalEnvelope ? (approvalEnvelope.payload["scope_hash_b64u"] as string) : run.scopeHash;
    const attestation = signEnvelope({
      envelopeType: "execution_attestation",
      signer: deps.signer,
      issuedAt: at.toISOString(),
      payload: {
        attestation_version: "1",
        attestation_id: `att_${run.id}`,
        execution_type: "sandbox_execution",
        agent_did: agent.did,
        attester_did: deps.signer.did,
        run_id: run.id,
        proof_bundle_hash_b64u: proofBundle.payload_hash_b64u,
        harness: { id: `clawea-${agent.runtime}`, version: "0.1.0", runtime: agent.runtime },
        runtime_metadata: {
          image_digest: agentRuntime?.digest ?? "unknown",
          agent_runtime: agent.runtime,
          ...(agentRuntime?.version ? { agent_runtime_version: agentRuntime.version } : {}),
          sandbox_runtime: deps.runtime.provider,
          sandbox_runtime_version: deps.runtime.providerVersion,
          node_version: agentRuntime?.nodeVersion ?? "unknown",
          enforced_policy_hash_b64u: run.policyHash,
          network_posture: "default-deny: no route out of the sandbox; model calls and egress only through the clawea gateway under the WPC",
          cpu_limit_millis: agent.cpuMillis,
          memory_limit_mb: agent.memoryMb,
          // Deterministic: from the agent's settings and the chain's own record of a fresh run sandbox.
          stateless,
          ...(runSandbox ? { run_sandbox: { sandbox_id: runSandbox.payload["sandbox_id"], fresh: true, persistence: "none", destroyed_when_run_ends: true } } : {}),
          token_scope_hash_b64u: scopeHash,
          urm_sha256_b64u: urmStored.sha256_b64u,
          ...(run.missionId ? { mission_id: run.missionId } : {}),
          ...(inclusionProof ? { log_anchor: { root_hash_b64u: inclusionProof["root_hash_b64u"], tree_size: inclusionProof["tree_size"], leaf_hash_b64u: proofBundle.payload_hash_b64u, inclusion_proof: inclusionProof } } : {}),
        },
        issued_at: at.toISOString(),
      },
    });
    const attestationStored = await storeJson(run.tenantId, attestation);
    const evidence: RunEvidence = {
      proof_bundle_sha256_b64u: proofStored.sha256_b64u,
      execution_attestation_sha256_b64u: attestationStored.sha256_b64u,
      urm_sha256_b64u: urmStored.sha256_b64u,
      log_leaf_hash_b64u: inclusionProof ? proofBundle.payload_hash_b64u : null,
      log_inclusion_proof_sha256_b64u: inclusionStored?.sha256_b64u ?? null,
      event_count: chain.length,
      receipt_count: receipts.length,
      stateless,
      built_at: at.toISOString(),
    };
    await db
      .update(runs)
      .set({ evidence, updatedAt: at })
      .where(and(eq(runs.tenantId, run.tenantId), eq(runs.id, run.id)));
    return evidence;
  };
}

export type BuildEvidence = ReturnType<typeof createEvidenceBuilder>;
