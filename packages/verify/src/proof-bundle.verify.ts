/** Proof bundles: the agent-signed envelope, its event chain, and every receipt bound to that chain. */
import type { ChainEvent } from "@clawea/protocol";
import { checkEnvelope } from "./envelope.check.js";
import { checkEventChain, type ChainAnchor } from "./event-chain.check.js";
import {
  checkBundledReceipt,
  checkGatewayReceipt,
  checkToolReceipt,
  jsonBytes,
  MAX_METADATA_BYTES,
  type ChainState,
} from "./receipts.check.js";
import { conclude, finding, joinPath, rejected, type Checked, type Finding } from "./result.model.js";
import { isTrusted, type VerifyContext } from "./trust.model.js";

export interface ProofBundleDetails {
  bundle_id: string;
  agent_did: string;
  /** The run the event chain records; null for a bundle without a chain. */
  run_id: string | null;
  /** The envelope's payload hash: what execution attestations and export bundles pin. */
  proof_bundle_hash_b64u: string;
  event_count: number;
  last_event_hash_b64u: string | null;
  gateway_receipt_count: number;
  tool_receipt_count: number;
  side_effect_receipt_count: number;
  human_approval_receipt_count: number;
  /** How the agent's key came to be trusted: pinned directly, or through an execution attestation. */
  agent_trusted_via: "trust_anchors" | "execution_attestation";
}

interface ProofBundlePayload {
  bundle_id: string;
  agent_did: string;
  event_chain?: ChainEvent[];
  receipts?: unknown[];
  tool_receipts?: unknown[];
  side_effect_receipts?: unknown[];
  human_approval_receipts?: unknown[];
  metadata?: Record<string, unknown>;
}

/**
 * Sections whose guarantees upstream checks with machinery we do not carry (URM documents, VIR and
 * web receipts, coverage and binary-semantic attestations, delegation, rate limits, owner attestations,
 * policy/runner/reviewer/prompt/data-handling/sentinel metadata). Ignoring them would let a bundle
 * present unchecked claims under a VALID verdict, so their presence fails closed.
 */
const UNSUPPORTED_SECTIONS = [
  "urm",
  "vir_receipts",
  "web_receipts",
  "coverage_attestations",
  "binary_semantic_evidence_attestations",
  "delegation_receipts",
  "rate_limit_claims",
  "attestations",
];
const UNSUPPORTED_METADATA = [
  "policy_binding",
  "runner_measurement",
  "runner_attestation_receipt",
  "reviewer_signoff_receipts",
  "prompt_pack",
  "system_prompt_report",
  "data_handling",
  "sentinels",
];

/** Which agents an enclosing export bundle vouches for: agent DID plus the bundle hash it attested. */
export type AgentVouch = (agentDid: string, proofBundleHash: string) => boolean;

export function checkProofBundle(value: unknown, path: string, ctx: VerifyContext, vouch: AgentVouch | null): Checked<ProofBundleDetails> {
  const { findings, envelope } = checkEnvelope<ProofBundlePayload>(
    value,
    { type: "proof_bundle", schema: "proof_bundle_envelope", role: "agent", ...(vouch ? { vouched: vouch } : {}) },
    path,
    ctx,
  );
  if (envelope === null) return rejected(findings);
  const payload = envelope.payload;
  const at = (sub: string): string => joinPath(path, sub);

  if (envelope.signer_did !== payload.agent_did) {
    findings.push(finding("PROOF_BUNDLE_AGENT_MISMATCH", at("signer_did"), "the bundle is not signed by its agent_did"));
  }
  const overLimit = checkLimits(payload, at, ctx.limits);
  // Past upstream's limits the bundle is refused without walking its chain and receipts.
  if (overLimit.length > 0) return rejected([...findings, ...overLimit]);
  for (const section of UNSUPPORTED_SECTIONS) {
    if (section in payload) findings.push(finding("UNSUPPORTED_EVIDENCE", at(`payload.${section}`), `${section} is not verified here`));
  }
  for (const key of UNSUPPORTED_METADATA) {
    if (payload.metadata && key in payload.metadata) {
      findings.push(finding("UNSUPPORTED_EVIDENCE", at(`payload.metadata.${key}`), `metadata.${key} is not verified here`));
    }
  }

  let chain: ChainState = { kind: "absent" };
  if (payload.event_chain !== undefined) {
    const checked = checkEventChain(payload.event_chain, at("payload.event_chain"));
    findings.push(...checked.findings);
    chain = checked.anchor ? { kind: "verified", anchor: checked.anchor } : { kind: "broken" };
  }
  const receipts = payload.receipts ?? [];
  const toolReceipts = payload.tool_receipts ?? [];
  const sideEffects = payload.side_effect_receipts ?? [];
  const approvals = payload.human_approval_receipts ?? [];
  const agent = payload.agent_did;
  receipts.forEach((r, i) => findings.push(...checkGatewayReceipt(r, chain, at(`payload.receipts[${i}]`), ctx)));
  toolReceipts.forEach((r, i) => findings.push(...checkToolReceipt(r, agent, chain, at(`payload.tool_receipts[${i}]`), ctx)));
  sideEffects.forEach((r, i) => findings.push(...checkBundledReceipt(r, agent, chain, at(`payload.side_effect_receipts[${i}]`))));
  approvals.forEach((r, i) => findings.push(...checkBundledReceipt(r, agent, chain, at(`payload.human_approval_receipts[${i}]`))));

  const anchor: ChainAnchor | null = chain.kind === "verified" ? chain.anchor : null;
  return conclude(findings, () => ({
    bundle_id: payload.bundle_id,
    agent_did: payload.agent_did,
    run_id: anchor?.runId ?? null,
    proof_bundle_hash_b64u: envelope.payload_hash_b64u,
    event_count: payload.event_chain?.length ?? 0,
    last_event_hash_b64u: anchor?.lastEventHash ?? null,
    gateway_receipt_count: receipts.length,
    tool_receipt_count: toolReceipts.length,
    side_effect_receipt_count: sideEffects.length,
    human_approval_receipt_count: approvals.length,
    // Reaching here, the signer is trusted one way or the other.
    agent_trusted_via: isTrusted(ctx.trust, "agent", envelope.signer_did) ? "trust_anchors" : "execution_attestation",
  }));
}

function checkLimits(payload: ProofBundlePayload, at: (sub: string) => string, limits: VerifyContext["limits"]): Finding[] {
  const findings: Finding[] = [];
  if ((payload.event_chain?.length ?? 0) > limits.max_events) {
    findings.push(finding("MALFORMED_ENVELOPE", at("payload.event_chain"), `more than ${limits.max_events} events`));
  }
  if ((payload.receipts?.length ?? 0) > limits.max_receipts) {
    findings.push(finding("MALFORMED_ENVELOPE", at("payload.receipts"), `more than ${limits.max_receipts} receipts`));
  }
  if (payload.metadata !== undefined && jsonBytes(payload.metadata) > MAX_METADATA_BYTES) {
    findings.push(finding("MALFORMED_ENVELOPE", at("payload.metadata"), `metadata exceeds ${MAX_METADATA_BYTES} bytes`));
  }
  return findings;
}
