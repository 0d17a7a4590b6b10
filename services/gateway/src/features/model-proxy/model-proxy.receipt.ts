/**
 * Gateway receipts (Clawsig poh/gateway_receipt.v1), signed for every model call the gateway sent
 * upstream, and the two forms a caller gets them in: a response header and an SSE comment trailer.
 */
import { randomUUID } from "node:crypto";
import type { ModelIdentityTier } from "@clawea/policy";
import { hashJcsB64u, signEnvelope, type KeyPair, type ReasonCode, type SignedEnvelope } from "@clawea/protocol";
import type { GatewayReceiptPayload, ModelIdentity } from "@clawea/schema";
import type { RunContext } from "../../auth/run-context.js";
import { MAX_RECEIPT_TOKENS, type ModelApi, type TokenUsage } from "./model-proxy.domain.js";

export type GatewayReceiptEnvelope = SignedEnvelope<GatewayReceiptPayload, "gateway_receipt">;

export type ReceiptStatus = "success" | "failure";

/** Header with the whole envelope (base64url of its JSON) on every answer that has a receipt. */
export const RECEIPT_HEADER = "x-clawea-receipt";
export const RECEIPT_ID_HEADER = "x-clawea-receipt-id";
/** Where the receipt can be fetched with the run's CST; the only form a stream's headers can carry. */
export const RECEIPT_URL_HEADER = "x-clawea-receipt-url";
export const REPLAY_HEADER = "x-clawea-idempotent-replay";
const TRAILER_PREFIX = ": clawea-receipt ";

// Upstream's bound on latency_ms (one hour); a receipt past it would not verify.
const MAX_LATENCY_MS = 60 * 60 * 1000;

export function newReceiptId(): string {
  return `gwr_${randomUUID().replaceAll("-", "")}`;
}

export interface ReceiptFacts {
  receiptId: string;
  run: RunContext;
  provider: string;
  model: string;
  /** The tier the provider's route vouches for, which the policy decided with; null when it states none. */
  modelIdentityTier: ModelIdentityTier | null;
  api: ModelApi;
  stream: boolean;
  requestHash: string;
  responseHash: string;
  usage: TokenUsage;
  usageReported: boolean;
  latencyMs: number;
  /** What the caller was answered: 200 or the mapped error's status. */
  httpStatus: number;
  upstreamStatus: number | null;
  status: ReceiptStatus;
  reasonCode: ReasonCode | null;
  /** From `X-Event-Hash`: the event of the run's chain this call belongs to. */
  eventHash: string | null;
  /** The idempotency key, or a fresh id when the caller sent none. */
  nonce: string;
  /** From the provider's price list; null when the model is unpriced. */
  costMinor: number | null;
  at: Date;
}

export function signReceipt(facts: ReceiptFacts, gatewayId: string, signer: KeyPair): GatewayReceiptEnvelope {
  const timestamp = facts.at.toISOString();
  const binding: NonNullable<GatewayReceiptPayload["binding"]> = {
    run_id: facts.run.runId,
    nonce: facts.nonce,
    policy_hash: facts.run.policyHash,
  };
  if (facts.eventHash !== null) binding.event_hash_b64u = facts.eventHash;
  if (facts.run.claims.token_scope_hash_b64u !== undefined) binding.token_scope_hash_b64u = facts.run.claims.token_scope_hash_b64u;
  const metadata: Record<string, unknown> = {
    status: facts.status,
    http_status: facts.httpStatus,
    api: facts.api,
    stream: facts.stream,
    usage_reported: facts.usageReported,
    agent_did: facts.run.agentDid,
    run_phase: facts.run.phase,
  };
  if (facts.modelIdentityTier !== null) {
    // poh/model_identity.v1 without artifacts: the operator's claim, not evidence. A verifier that wants
    // evidence for a tier above closed_opaque will not find it here, and should not.
    const identity: ModelIdentity = { model_identity_version: "1", tier: facts.modelIdentityTier, model: { provider: facts.provider, name: facts.model } };
    metadata["model_identity"] = identity;
    metadata["model_identity_hash_b64u"] = hashJcsB64u(identity);
  }
  if (facts.costMinor !== null) metadata["cost_minor"] = facts.costMinor;
  if (facts.reasonCode !== null) metadata["reason_code"] = facts.reasonCode;
  if (facts.upstreamStatus !== null) metadata["upstream_status"] = facts.upstreamStatus;
  const payload: GatewayReceiptPayload = {
    receipt_version: "1",
    receipt_id: facts.receiptId,
    gateway_id: gatewayId,
    provider: facts.provider,
    model: facts.model,
    request_hash_b64u: facts.requestHash,
    response_hash_b64u: facts.responseHash,
    tokens_input: Math.min(facts.usage.input, MAX_RECEIPT_TOKENS),
    tokens_output: Math.min(facts.usage.output, MAX_RECEIPT_TOKENS),
    latency_ms: Math.min(Math.max(0, Math.round(facts.latencyMs)), MAX_LATENCY_MS),
    timestamp,
    binding,
    metadata,
  };
  return signEnvelope({ envelopeType: "gateway_receipt", payload, signer, issuedAt: timestamp });
}

export function encodeReceipt(envelope: GatewayReceiptEnvelope): string {
  return Buffer.from(JSON.stringify(envelope)).toString("base64url");
}

/** An SSE comment line, which OpenAI and Anthropic clients skip, after the stream's last event. */
export function receiptTrailer(encodedReceipt: string): string {
  return `${TRAILER_PREFIX}${encodedReceipt}\n\n`;
}
