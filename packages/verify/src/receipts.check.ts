/** The receipts a proof bundle carries: signatures and trust where they are signed, and their binding to the run. */
import { HASH_ALGORITHM, utf8 } from "@clawea/protocol";
import { checkEnvelope } from "./envelope.check.js";
import type { ChainAnchor } from "./event-chain.check.js";
import { finding, joinPath, type Finding } from "./result.model.js";
import type { VerifyContext } from "./trust.model.js";

/** The chain receipts bind to: absent from the bundle, present but broken, or verified. */
export type ChainState = { kind: "absent" } | { kind: "broken" } | { kind: "verified"; anchor: ChainAnchor };

type Json = Record<string, unknown>;

// Upstream's numeric hardening for gateway receipts (values past these are not a real model call).
const MAX_RECEIPT_TOKENS = 10_000_000;
const MAX_RECEIPT_LATENCY_MS = 60 * 60 * 1000;
export const MAX_METADATA_BYTES = 16 * 1024;

// Causal-graph binding fields: upstream checks the graph they form; we do not, so we refuse to vouch for them.
const CAUSAL_BINDING_FIELDS = [
  "span_id",
  "spanId",
  "parent_span_id",
  "parentSpanId",
  "tool_span_id",
  "toolSpanId",
  "phase",
  "attribution_confidence",
  "attributionConfidence",
];

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function jsonBytes(value: unknown): number {
  return utf8(JSON.stringify(value)).length;
}

/**
 * A binding ties a receipt to this run and, through an event hash, to one event of its chain; without
 * it a receipt signed for another run could be replayed here. Gateway receipts must carry one.
 */
function checkBinding(binding: unknown, required: boolean, chain: ChainState, path: string): Finding[] {
  const at = (sub: string): string => joinPath(path, sub);
  if (binding === undefined && !required) return [];
  if (!isRecord(binding)) return [finding("RECEIPT_BINDING_MISMATCH", path, "receipt carries no binding to the run")];
  const findings = CAUSAL_BINDING_FIELDS.filter((key) => key in binding).map((key) =>
    finding("UNSUPPORTED_EVIDENCE", at(key), "causal span bindings are not verified here"),
  );
  const { run_id: runId, event_hash_b64u: eventHash } = binding;
  if (required && (typeof runId !== "string" || typeof eventHash !== "string")) {
    findings.push(finding("RECEIPT_BINDING_MISMATCH", path, "binding must name run_id and event_hash_b64u"));
    return findings;
  }
  if (chain.kind === "broken") return findings;
  if (chain.kind === "absent") {
    if (runId !== undefined || eventHash !== undefined) {
      findings.push(finding("RECEIPT_BINDING_MISMATCH", path, "receipt binds to an event chain the bundle does not carry"));
    }
    return findings;
  }
  if (runId !== undefined && runId !== chain.anchor.runId) {
    findings.push(finding("RECEIPT_BINDING_MISMATCH", at("run_id"), "binding.run_id is not the run of the event chain"));
  }
  if (eventHash !== undefined && (typeof eventHash !== "string" || !chain.anchor.eventHashes.has(eventHash))) {
    findings.push(finding("RECEIPT_BINDING_MISMATCH", at("event_hash_b64u"), "binding.event_hash_b64u names no event of the chain"));
  }
  return findings;
}

function checkAgent(agentDid: unknown, expected: string, path: string): Finding[] {
  return agentDid === expected ? [] : [finding("PROOF_BUNDLE_AGENT_MISMATCH", path, "receipt agent_did is not the bundle's agent")];
}

// Schemas admit BLAKE3 in places; we compute only SHA-256, so anything else fails closed.
function checkHashAlgorithm(algorithm: unknown, path: string): Finding[] {
  return algorithm === undefined || algorithm === HASH_ALGORITHM
    ? []
    : [finding("UNKNOWN_HASH_ALGORITHM", path, `hash algorithm ${String(algorithm)} is not ${HASH_ALGORITHM}`)];
}

function checkMetadataSize(metadata: unknown, path: string): Finding[] {
  return metadata !== undefined && jsonBytes(metadata) > MAX_METADATA_BYTES
    ? [finding("MALFORMED_ENVELOPE", path, `metadata exceeds ${MAX_METADATA_BYTES} bytes`)]
    : [];
}

function isBoundedInteger(value: unknown, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
}

/** Gateway receipts: signed by a trusted gateway and bound to an event of this run. */
export function checkGatewayReceipt(value: unknown, chain: ChainState, path: string, ctx: VerifyContext): Finding[] {
  const { findings, envelope } = checkEnvelope<Json>(value, { type: "gateway_receipt", schema: null, role: "gateway" }, path, ctx);
  if (envelope === null) return findings;
  const payload = envelope.payload;
  const at = (sub: string): string => joinPath(path, `payload.${sub}`);
  for (const field of ["tokens_input", "tokens_output"]) {
    if (!isBoundedInteger(payload[field], MAX_RECEIPT_TOKENS)) {
      findings.push(finding("MALFORMED_ENVELOPE", at(field), `${field} must be an integer within 0..${MAX_RECEIPT_TOKENS}`));
    }
  }
  if (!isBoundedInteger(payload["latency_ms"], MAX_RECEIPT_LATENCY_MS)) {
    findings.push(finding("MALFORMED_ENVELOPE", at("latency_ms"), `latency_ms must be an integer within 0..${MAX_RECEIPT_LATENCY_MS}`));
  }
  findings.push(...checkMetadataSize(payload["metadata"], at("metadata")));
  findings.push(...checkBinding(payload["binding"], true, chain, at("binding")));
  return findings;
}

/**
 * Tool receipts, bare or enveloped. A bare one is vouched for by the bundle's own signature. An
 * enveloped one must be signed by the bundle's agent (the same trust as the bundle) or a trusted gateway.
 */
export function checkToolReceipt(value: unknown, agentDid: string, chain: ChainState, path: string, ctx: VerifyContext): Finding[] {
  const findings: Finding[] = [];
  let payload = value as Json;
  let payloadPath = path;
  if (isRecord(value) && "envelope_version" in value) {
    const outcome = checkEnvelope<Json>(
      value,
      { type: "tool_receipt", schema: null, role: "gateway", vouched: (signer) => signer === agentDid },
      path,
      ctx,
    );
    findings.push(...outcome.findings);
    if (outcome.envelope === null) return findings;
    payload = outcome.envelope.payload;
    payloadPath = joinPath(path, "payload");
  }
  const at = (sub: string): string => joinPath(payloadPath, sub);
  findings.push(...checkAgent(payload["agent_did"], agentDid, at("agent_did")));
  findings.push(...checkHashAlgorithm(payload["hash_algorithm"], at("hash_algorithm")));
  for (const field of ["args_disclosure", "result_disclosure"]) {
    if (field in payload) findings.push(finding("UNSUPPORTED_EVIDENCE", at(field), "selective disclosure is not verified here"));
  }
  findings.push(...checkBinding(payload["binding"], false, chain, at("binding")));
  return findings;
}

/** Side-effect and human-approval receipts are bare payloads the bundle's signature covers. */
export function checkBundledReceipt(value: unknown, agentDid: string, chain: ChainState, path: string): Finding[] {
  const payload = value as Json;
  const at = (sub: string): string => joinPath(path, sub);
  return [
    ...checkAgent(payload["agent_did"], agentDid, at("agent_did")),
    ...checkHashAlgorithm(payload["hash_algorithm"], at("hash_algorithm")),
    ...checkBinding(payload["binding"], false, chain, at("binding")),
  ];
}
