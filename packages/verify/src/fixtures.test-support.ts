// Test-only: valid signed artifacts built with fresh keys through @clawea/protocol, and JSON mutation helpers.
import {
  b64uEncode,
  buildLogInclusionProof,
  exportBundleHash,
  keyPairFromSeed,
  MerkleTree,
  nextEvent,
  sha256,
  sha256B64u,
  signBytes,
  signEnvelope,
  signExportBundle,
  utf8,
  type ChainEvent,
  type KeyPair,
  type SignedEnvelope,
} from "@clawea/protocol";
import type { TrustAnchors, VerifyOptions } from "./index.js";

function key(label: string): KeyPair {
  return keyPairFromSeed(sha256(`clawea verify fixture ${label}`));
}

export const keys = {
  agent: key("agent"),
  gateway: key("gateway"),
  dataPlane: key("data plane"),
  controlPlane: key("control plane"),
  log: key("log"),
  derivation: key("derivation"),
  stranger: key("stranger"),
};

export const NOW = "2026-03-01T00:00:00.000Z";
const T0 = "2026-02-20T10:00:00.000Z";
const T1 = "2026-02-20T10:00:05.000Z";
const T2 = "2026-02-20T10:00:09.000Z";
export const RUN_ID = "run_fixture_001";

export function anchors(): TrustAnchors {
  return {
    allowed_signer_dids: [keys.agent.did, keys.gateway.did, keys.dataPlane.did, keys.controlPlane.did, keys.log.did, keys.derivation.did],
    roles: {
      gateway: [keys.gateway.did],
      agent: [keys.agent.did],
      data_plane: [keys.dataPlane.did],
      control_plane: [keys.controlPlane.did],
      log: [keys.log.did],
      derivation: [keys.derivation.did],
    },
  };
}

export function options(trust: TrustAnchors = anchors(), now = NOW): VerifyOptions {
  return { trust, now };
}

export function buildEventChain(runId = RUN_ID): ChainEvent[] {
  const chain: ChainEvent[] = [];
  chain.push(nextEvent(chain, runId, { event_id: "evt_1", event_type: "run_start", timestamp: T0, payload: { task: "t" } }));
  chain.push(nextEvent(chain, runId, { event_id: "evt_2", event_type: "llm_call", timestamp: T1, payload: { n: 1 } }));
  chain.push(nextEvent(chain, runId, { event_id: "evt_3", event_type: "run_end", timestamp: T2, payload: { ok: true } }));
  return chain;
}

export function gatewayReceipt(binding: Record<string, unknown>, signer: KeyPair = keys.gateway): SignedEnvelope {
  return signEnvelope({
    envelopeType: "gateway_receipt",
    signer,
    issuedAt: T1,
    payload: {
      receipt_version: "1",
      receipt_id: "rcpt_1",
      gateway_id: "gw_1",
      provider: "anthropic",
      model: "claude-test",
      request_hash_b64u: sha256B64u("request"),
      response_hash_b64u: sha256B64u("response"),
      tokens_input: 10,
      tokens_output: 20,
      latency_ms: 123,
      timestamp: T1,
      binding,
    },
  });
}

export interface ProofBundleParts {
  signer?: KeyPair;
  agentDid?: string;
  chain?: ChainEvent[];
  extra?: Record<string, unknown>;
  receipts?: unknown[];
}

/** A proof bundle with every receipt family we verify, all bound to its three-event chain. */
export function buildProofBundle(parts: ProofBundleParts = {}): SignedEnvelope<Record<string, unknown>> {
  const signer = parts.signer ?? keys.agent;
  const agentDid = parts.agentDid ?? signer.did;
  const chain = parts.chain ?? buildEventChain();
  const llmEvent = chain[1] ?? chain[0];
  const binding = { run_id: llmEvent?.run_id ?? RUN_ID, event_hash_b64u: llmEvent?.event_hash_b64u ?? "" };
  return signEnvelope({
    envelopeType: "proof_bundle",
    signer,
    issuedAt: T2,
    payload: {
      bundle_version: "1",
      bundle_id: "bundle_fixture_001",
      agent_did: agentDid,
      event_chain: chain,
      receipts: parts.receipts ?? [gatewayReceipt({ ...binding, nonce: "nonce_1" })],
      tool_receipts: [
        {
          receipt_version: "1",
          receipt_id: "tr_1",
          tool_name: "bash",
          args_hash_b64u: sha256B64u("args"),
          result_hash_b64u: sha256B64u("result"),
          result_status: "success",
          hash_algorithm: "SHA-256",
          agent_did: agentDid,
          timestamp: T1,
          latency_ms: 42,
          binding,
        },
      ],
      side_effect_receipts: [
        {
          receipt_version: "1",
          receipt_id: "ser_1",
          effect_class: "network_egress",
          hash_algorithm: "SHA-256",
          agent_did: agentDid,
          timestamp: T1,
          bytes_written: 0,
          binding,
        },
      ],
      human_approval_receipts: [
        {
          receipt_version: "1",
          receipt_id: "har_1",
          approval_type: "explicit_approve",
          plan_hash_b64u: sha256B64u("plan"),
          capability_minted: true,
          agent_did: agentDid,
          timestamp: T1,
          binding,
        },
      ],
      metadata: { harness: { id: "clawea-reference", version: "0.1.0" } },
      ...parts.extra,
    },
  });
}

export interface AttestationParts {
  signer?: KeyPair;
  agentDid?: string;
  runId?: string;
  extra?: Record<string, unknown>;
}

export function buildExecutionAttestation(proofBundle: SignedEnvelope, parts: AttestationParts = {}): SignedEnvelope<Record<string, unknown>> {
  const signer = parts.signer ?? keys.dataPlane;
  const payload = proofBundle.payload as { agent_did: string };
  return signEnvelope({
    envelopeType: "execution_attestation",
    signer,
    issuedAt: T2,
    payload: {
      attestation_version: "1",
      attestation_id: "att_1",
      execution_type: "sandbox_execution",
      agent_did: parts.agentDid ?? payload.agent_did,
      attester_did: signer.did,
      run_id: parts.runId ?? RUN_ID,
      proof_bundle_hash_b64u: proofBundle.payload_hash_b64u,
      runtime_metadata: { image_digest: "sha256:abc", cpu_limit: 2, stateless: true },
      issued_at: T2,
      ...parts.extra,
    },
  });
}

/** A log of five leaves (the golden vector's shape) and the signed proof for leaf `index`. */
export function buildInclusionProof(index = 3, signer: KeyPair = keys.log, leafCount = 5): Record<string, unknown> {
  const tree = MerkleTree.fromLeaves(Array.from({ length: leafCount }, (_, i) => sha256(`leaf ${i}`)));
  return { ...buildLogInclusionProof({ logId: "log_fixture", tree, leafIndex: index, treeSize: leafCount, rootPublishedAt: T2, signer }) };
}

export function buildDerivationAttestation(proofBundle: SignedEnvelope, signer: KeyPair = keys.derivation): SignedEnvelope {
  const model = { model_identity_version: "1", tier: "closed_opaque", model: { provider: "openai", name: "gpt-test" } };
  return signEnvelope({
    envelopeType: "derivation_attestation",
    signer,
    issuedAt: T2,
    payload: {
      derivation_version: "1",
      derivation_id: "drv_1",
      issued_at: T2,
      input_model: model,
      output_model: model,
      transform: { kind: "other" },
      execution: { proof_bundle_hash_b64u: proofBundle.payload_hash_b64u },
      clawlogs: { inclusion_proof: buildInclusionProof() },
    },
  });
}

export interface ExportParts {
  proofBundle?: SignedEnvelope;
  executions?: SignedEnvelope[];
  derivations?: SignedEnvelope[];
  issuer?: KeyPair;
  issuedAt?: string;
}

/** Manifest, bundle hash and signature written the way an honest exporter writes them. */
export function buildExportBundle(parts: ExportParts = {}): Record<string, unknown> {
  const proofBundle = parts.proofBundle ?? buildProofBundle();
  return signExportBundle({
    exportId: "exp_fixture_001",
    artifacts: {
      proof_bundle_envelope: proofBundle,
      execution_attestation_envelopes: parts.executions ?? [buildExecutionAttestation(proofBundle)],
      derivation_attestation_envelopes: parts.derivations ?? [buildDerivationAttestation(proofBundle)],
    },
    issuer: parts.issuer ?? keys.controlPlane,
    createdAt: T2,
    issuedAt: parts.issuedAt ?? T2,
  }) as unknown as Record<string, unknown>;
}

/** Re-signs an export bundle after a test edited it, so only the edit itself is under test. */
export function resignExport(bundle: Record<string, unknown>, issuer: KeyPair = keys.controlPlane): Record<string, unknown> {
  const bundleHash = exportBundleHash(bundle);
  return { ...bundle, bundle_hash_b64u: bundleHash, signature_b64u: b64uEncode(signBytes(issuer.privateKey, utf8(bundleHash))) };
}

/** Re-signs an envelope's (edited) payload with `signer`. */
export function resign<P>(envelope: SignedEnvelope<P>, signer: KeyPair): SignedEnvelope<P> {
  return signEnvelope({ envelopeType: envelope.envelope_type, payload: envelope.payload, signer, issuedAt: envelope.issued_at });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = (string | number)[];

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every leaf (string, number, boolean, null) of a JSON document, as a path of keys and indices. */
export function leafPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...prefix, i]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  return [prefix];
}

function changeChar(ch: string): string {
  if (/[0-8]/.test(ch)) return String(Number(ch) + 1);
  if (ch === "9") return "0";
  if (/[a-yA-Y]/.test(ch)) return String.fromCharCode(ch.charCodeAt(0) + 1);
  return ch === "z" || ch === "Z" ? "a" : "x";
}

/** A different value of the same kind where one exists: one character of a string, +1, a flipped boolean. */
export function mutateLeaf(leaf: Json): Json {
  if (typeof leaf === "string") {
    if (leaf.length === 0) return "x";
    const i = Math.floor(leaf.length / 2);
    return leaf.slice(0, i) + changeChar(leaf.charAt(i)) + leaf.slice(i + 1);
  }
  if (typeof leaf === "number") return leaf + 1;
  if (typeof leaf === "boolean") return !leaf;
  return "x";
}

/** A copy of `document` with the leaf at `path` mutated. */
export function withMutation<T>(document: T, path: JsonPath): T {
  const copy = clone(document) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  parent[last] = mutateLeaf(parent[last] as Json);
  return copy as T;
}

export function pathText(path: JsonPath): string {
  return path.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("");
}
