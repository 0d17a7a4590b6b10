// Everything our code emits must validate against the upstream Clawsig schemas (and our own): the
// artifacts here come out of @clawea/protocol's emitters (signEnvelope, nextEvent, signExportBundle,
// buildLogInclusionProof), the same calls the services make.
import { describe, expect, it } from "vitest";
import { validateUpstream } from "@clawea/testkit";
import { validate, type ArtifactKind } from "@clawea/schema";
import { sha256B64u, signEnvelope, type EnvelopeType } from "@clawea/protocol";
import {
  RUN_ID,
  buildDerivationAttestation,
  buildEventChain,
  buildExecutionAttestation,
  buildExportBundle,
  buildInclusionProof,
  buildProofBundle,
  gatewayReceipt,
  keys,
} from "./fixtures.test-support.js";

const T = "2026-02-20T10:00:05.000Z";
const chain = buildEventChain();
const binding = { run_id: RUN_ID, event_hash_b64u: chain[1]!.event_hash_b64u };
const proofBundle = buildProofBundle();

function envelope(envelopeType: EnvelopeType, payload: Record<string, unknown>) {
  return signEnvelope({ envelopeType, payload, signer: keys.gateway, issuedAt: T });
}

const emitted: [name: string, upstream: string, ours: ArtifactKind, artifact: unknown][] = [
  ["gateway receipt envelope", "poh/gateway_receipt_envelope.v1.json", "gateway_receipt_envelope", gatewayReceipt({ ...binding, nonce: "n" })],
  [
    "tool receipt envelope",
    "poh/tool_receipt_envelope.v1.json",
    "tool_receipt_v1_envelope",
    envelope("tool_receipt", {
      receipt_version: "1",
      receipt_id: "tr_1",
      tool_name: "write_file",
      args_hash_b64u: sha256B64u("args"),
      result_hash_b64u: sha256B64u("result"),
      result_status: "success",
      hash_algorithm: "SHA-256",
      agent_did: keys.agent.did,
      timestamp: T,
      latency_ms: 12,
      binding,
    }),
  ],
  [
    "side-effect receipt envelope",
    "poh/side_effect_receipt_envelope.v1.json",
    "side_effect_receipt_envelope",
    envelope("side_effect_receipt", {
      receipt_version: "1",
      receipt_id: "se_1",
      effect_class: "network_egress",
      target_hash_b64u: sha256B64u("https://api.example.com:443"),
      request_hash_b64u: sha256B64u("request"),
      response_hash_b64u: sha256B64u("response"),
      response_status: "denied",
      hash_algorithm: "SHA-256",
      agent_did: keys.agent.did,
      timestamp: T,
      latency_ms: 3,
      binding,
    }),
  ],
  [
    "human approval receipt envelope",
    "poh/human_approval_receipt_envelope.v1.json",
    "human_approval_receipt_envelope",
    envelope("human_approval_receipt", {
      receipt_version: "1",
      receipt_id: "har_1",
      approval_type: "explicit_approve",
      approver_subject: "user:alice@example.com",
      approver_method: "ui_click",
      agent_did: keys.agent.did,
      scope_hash_b64u: sha256B64u("scope"),
      plan_hash_b64u: sha256B64u("plan"),
      hash_algorithm: "SHA-256",
      timestamp: T,
      binding,
    }),
  ],
  ["event chain", "poh/event_chain.v1.json", "event_chain", { chain_version: "1", chain_id: "chain_1", run_id: RUN_ID, events: chain }],
  ["proof bundle envelope", "poh/proof_bundle_envelope.v1.json", "proof_bundle_envelope", proofBundle],
  ["execution attestation envelope", "poh/execution_attestation_envelope.v1.json", "execution_attestation_envelope", buildExecutionAttestation(proofBundle)],
  ["export bundle", "poh/export_bundle.v1.json", "export_bundle", buildExportBundle()],
  ["log inclusion proof", "poh/log_inclusion_proof.v1.json", "log_inclusion_proof", buildInclusionProof()],
];

describe("emitted artifacts conform", () => {
  it.each(emitted)("%s validates against %s and ours", (_name, upstream, ours, artifact) => {
    const theirs = validateUpstream(upstream, JSON.parse(JSON.stringify(artifact)));
    expect(theirs.errors).toEqual([]);
    expect(theirs.ok).toBe(true);
    expect(validate(ours, artifact)).toMatchObject({ ok: true });
  });

  // Our schema package models derivation attestations only inside export bundles.
  it("a derivation attestation validates against upstream", () => {
    const theirs = validateUpstream("poh/derivation_attestation_envelope.v1.json", buildDerivationAttestation(proofBundle));
    expect(theirs.errors).toEqual([]);
  });
});
