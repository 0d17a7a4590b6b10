// Proof bundles built with fresh keys: the valid one passes, and every edit, untrusted key or unknown form fails.
import { b64uEncode, nextEvent, sha256B64u, signBytes, signEnvelope, utf8, type ChainEvent, type SignedEnvelope } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import {
  anchors,
  buildEventChain,
  buildProofBundle,
  clone,
  gatewayReceipt,
  keys,
  leafPaths,
  options,
  pathText,
  resign,
  RUN_ID,
  withMutation,
} from "./fixtures.test-support.js";
import type { ReasonCode } from "@clawea/protocol";
import { verifyProofBundle, type TrustAnchors } from "./index.js";

type Payload = Record<string, unknown>;

function codesOf(input: unknown, trust?: TrustAnchors): ReasonCode[] {
  return verifyProofBundle(input, options(trust)).reason_codes;
}

/** Edits the payload of a valid bundle and re-signs it, so only the edit is under test. */
function edited(edit: (payload: Payload) => void): SignedEnvelope<Payload> {
  const envelope = clone(buildProofBundle());
  edit(envelope.payload);
  return resign(envelope, keys.agent);
}

describe("verifyProofBundle: the valid bundle", () => {
  it("passes with OK and reports its facts", () => {
    const envelope = buildProofBundle();
    const result = verifyProofBundle(envelope, options());
    expect(result.findings).toEqual([]);
    expect(result.reason_codes).toEqual(["OK"]);
    expect(result.details).toMatchObject({
      bundle_id: "bundle_fixture_001",
      agent_did: keys.agent.did,
      run_id: RUN_ID,
      proof_bundle_hash_b64u: envelope.payload_hash_b64u,
      event_count: 3,
      gateway_receipt_count: 1,
      tool_receipt_count: 1,
      side_effect_receipt_count: 1,
      human_approval_receipt_count: 1,
      agent_trusted_via: "trust_anchors",
    });
  });

  it("accepts the upstream document-order payload hash as well as the JCS one", () => {
    const envelope = buildProofBundle();
    // Same content with keys out of canonical order, hashed and signed the way upstream tools do it.
    const { bundle_version, ...rest } = envelope.payload;
    const payload = { ...rest, bundle_version };
    const payloadHash = sha256B64u(JSON.stringify(payload));
    expect(payloadHash).not.toBe(envelope.payload_hash_b64u);
    const signature = b64uEncode(signBytes(keys.agent.privateKey, utf8(payloadHash)));
    const upstreamStyle = { ...envelope, payload, payload_hash_b64u: payloadHash, signature_b64u: signature };
    expect(verifyProofBundle(upstreamStyle, options()).valid).toBe(true);
  });
});

describe("verifyProofBundle: every leaf is bound", () => {
  const envelope = buildProofBundle();
  // issued_at sits outside the signed payload in the Clawsig envelope format, so only a malformed one fails.
  const unsigned = new Set([".issued_at"]);
  const paths = leafPaths(envelope).filter((path) => !unsigned.has(pathText(path)));

  it("has leaves to mutate", () => {
    expect(paths.length).toBeGreaterThan(60);
  });

  it.each(paths.map((path) => [pathText(path), path] as const))("changing %s fails", (_text, path) => {
    const result = verifyProofBundle(withMutation(envelope, path), options());
    expect(result.valid).toBe(false);
    expect(result.reason_codes).not.toContain("OK");
  });

  it("a malformed issued_at fails closed", () => {
    expect(codesOf({ ...envelope, issued_at: "yesterday" })).toEqual(["MALFORMED_ENVELOPE"]);
  });
});

describe("verifyProofBundle: envelope header fails closed", () => {
  const envelope = buildProofBundle();
  it.each([
    ["envelope_version", "2", "UNKNOWN_ENVELOPE_VERSION"],
    ["envelope_type", "gateway_receipt", "UNKNOWN_ENVELOPE_TYPE"],
    ["envelope_type", "mystery", "UNKNOWN_ENVELOPE_TYPE"],
    ["hash_algorithm", "BLAKE3", "UNKNOWN_HASH_ALGORITHM"],
    ["algorithm", "ES256", "UNKNOWN_ALGORITHM"],
    ["signer_did", "did:web:example.com", "INVALID_DID_FORMAT"],
    ["signature_b64u", "A".repeat(86), "SIGNATURE_INVALID"],
  ])("%s = %s gives %s", (field, value, code) => {
    expect(codesOf({ ...envelope, [field]: value })[0]).toBe(code);
  });

  it("a missing field is a malformed envelope", () => {
    const { algorithm: _dropped, ...rest } = envelope;
    expect(codesOf(rest)).toEqual(["MALFORMED_ENVELOPE"]);
  });

  it.each([null, 42, "text", [], {}])("input %j is malformed", (input) => {
    expect(codesOf(input)).toEqual(["MALFORMED_ENVELOPE"]);
  });

  it("an envelope past its expires_at fails at the verification time", () => {
    const expiring = signEnvelope({
      envelopeType: "proof_bundle",
      payload: envelope.payload,
      signer: keys.agent,
      issuedAt: envelope.issued_at,
      expiresAt: "2026-02-28T00:00:00.000Z",
    });
    expect(verifyProofBundle(expiring, options(anchors(), "2026-02-27T00:00:00.000Z")).valid).toBe(true);
    expect(codesOf(expiring)).toEqual(["EXPIRED_TTL"]);
  });
});

describe("verifyProofBundle: trust", () => {
  it("an agent missing from the anchors is not trusted", () => {
    const trust = anchors();
    const allowed = trust.allowed_signer_dids.filter((did) => did !== keys.agent.did);
    expect(codesOf(buildProofBundle(), { ...trust, allowed_signer_dids: allowed })).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("an allowed DID outside the agent role is not trusted as an agent", () => {
    const bundle = buildProofBundle({ signer: keys.gateway });
    expect(codesOf(bundle)).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("without a role list any allowed DID may act in the role", () => {
    const trust: TrustAnchors = { allowed_signer_dids: [keys.stranger.did, keys.gateway.did] };
    expect(codesOf(buildProofBundle({ signer: keys.stranger }), trust)).toEqual(["OK"]);
  });

  it("a gateway receipt from an untrusted gateway fails", () => {
    const chain = buildEventChain();
    const receipt = gatewayReceipt({ run_id: RUN_ID, event_hash_b64u: chain[1]?.event_hash_b64u }, keys.stranger);
    expect(codesOf(buildProofBundle({ chain, receipts: [receipt] }))).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("a gateway receipt with a forged signature fails", () => {
    const chain = buildEventChain();
    const receipt = gatewayReceipt({ run_id: RUN_ID, event_hash_b64u: chain[1]?.event_hash_b64u });
    const forged = { ...receipt, signature_b64u: gatewayReceipt({ run_id: "other" }).signature_b64u };
    expect(codesOf(buildProofBundle({ chain, receipts: [forged] }))).toEqual(["SIGNATURE_INVALID"]);
  });

  it("missing or empty trust anchors and a bad time are configuration errors, not verdicts on the bundle", () => {
    const bundle = buildProofBundle();
    expect(verifyProofBundle(bundle, { trust: { allowed_signer_dids: [] }, now: "2026-03-01T00:00:00Z" }).reason_codes).toEqual([
      "DEPENDENCY_NOT_CONFIGURED",
    ]);
    expect(verifyProofBundle(bundle, { trust: anchors(), now: "soon" }).reason_codes).toEqual(["MALFORMED_ENVELOPE"]);
    expect(verifyProofBundle(bundle, undefined as never).reason_codes).toEqual(["DEPENDENCY_NOT_CONFIGURED", "MALFORMED_ENVELOPE"]);
  });
});

describe("verifyProofBundle: semantics under a valid signature", () => {
  it("a bundle signed by another key than its agent_did", () => {
    expect(codesOf(buildProofBundle({ agentDid: keys.stranger.did }))).toContain("PROOF_BUNDLE_AGENT_MISMATCH");
  });

  it("a recomputed event hash that does not match", () => {
    const bundle = edited((p) => {
      const chain = p["event_chain"] as ChainEvent[];
      (chain[2] as ChainEvent).event_type = "run_abort";
    });
    expect(codesOf(bundle)).toEqual(["HASH_MISMATCH"]);
  });

  it("a chain whose links do not join", () => {
    const chain = buildEventChain();
    const [first, , third] = chain;
    const relinked: ChainEvent[] = [first as ChainEvent];
    relinked.push(nextEvent(relinked, RUN_ID, { event_id: "evt_x", event_type: "llm_call", timestamp: third?.timestamp ?? "", payload: {} }));
    const broken = [...relinked, { ...(third as ChainEvent) }];
    expect(codesOf(buildProofBundle({ chain: broken }))).toContain("EVENT_CHAIN_BROKEN");
  });

  it("an event from another run", () => {
    const chain = buildEventChain();
    const foreign: ChainEvent[] = [...chain.slice(0, 2)];
    foreign.push(nextEvent(foreign, "run_other", { event_id: "evt_3", event_type: "run_end", timestamp: "2026-02-20T10:00:09.000Z", payload: {} }));
    expect(codesOf(buildProofBundle({ chain: foreign }))).toContain("EVENT_CHAIN_BROKEN");
  });

  it("a repeated event_id", () => {
    const chain: ChainEvent[] = [];
    chain.push(nextEvent(chain, RUN_ID, { event_id: "evt_1", event_type: "a", timestamp: "2026-02-20T10:00:00.000Z", payload: 1 }));
    chain.push(nextEvent(chain, RUN_ID, { event_id: "evt_1", event_type: "b", timestamp: "2026-02-20T10:00:01.000Z", payload: 2 }));
    expect(codesOf(buildProofBundle({ chain }))).toContain("MALFORMED_ENVELOPE");
  });

  it.each([
    ["run_id", { run_id: "run_other" }],
    ["event hash", { event_hash_b64u: sha256B64u("no such event") }],
  ])("a gateway receipt bound to another %s", (_what, change) => {
    const chain = buildEventChain();
    const receipt = gatewayReceipt({ run_id: RUN_ID, event_hash_b64u: chain[1]?.event_hash_b64u, ...change });
    expect(codesOf(buildProofBundle({ chain, receipts: [receipt] }))).toEqual(["RECEIPT_BINDING_MISMATCH"]);
  });

  it("a gateway receipt without a binding", () => {
    expect(codesOf(buildProofBundle({ receipts: [gatewayReceipt({ nonce: "n" })] }))).toEqual(["RECEIPT_BINDING_MISMATCH"]);
  });

  it("receipts bound to a chain the bundle does not carry", () => {
    const bundle = edited((p) => {
      delete p["event_chain"];
    });
    expect(codesOf(bundle)).toEqual(["RECEIPT_BINDING_MISMATCH"]);
  });

  it.each(["tool_receipts", "side_effect_receipts", "human_approval_receipts"])("a %s entry for another agent", (family) => {
    const bundle = edited((p) => {
      const list = p[family] as Payload[];
      (list[0] as Payload)["agent_did"] = keys.stranger.did;
    });
    expect(codesOf(bundle)).toEqual(["PROOF_BUNDLE_AGENT_MISMATCH"]);
  });

  it.each(["tool_receipts", "side_effect_receipts", "human_approval_receipts"])("a %s entry bound to another run", (family) => {
    const bundle = edited((p) => {
      const list = p[family] as Payload[];
      ((list[0] as Payload)["binding"] as Payload)["run_id"] = "run_other";
    });
    expect(codesOf(bundle)).toEqual(["RECEIPT_BINDING_MISMATCH"]);
  });

  it("gateway receipt counts outside upstream's bounds", () => {
    const chain = buildEventChain();
    const receipt = gatewayReceipt({ run_id: RUN_ID, event_hash_b64u: chain[1]?.event_hash_b64u });
    const big = resign({ ...receipt, payload: { ...(receipt.payload as Payload), tokens_input: 1.5 } }, keys.gateway);
    expect(codesOf(buildProofBundle({ chain, receipts: [big] }))).toEqual(["MALFORMED_ENVELOPE"]);
  });

  it("more events than upstream accepts", () => {
    const chain: ChainEvent[] = [];
    for (let i = 0; i < 1001; i++) {
      chain.push(nextEvent(chain, RUN_ID, { event_id: `evt_${i}`, event_type: "tick", timestamp: "2026-02-20T10:00:00.000Z", payload: i }));
    }
    const bundle = buildProofBundle({ chain, receipts: [gatewayReceipt({ run_id: RUN_ID, event_hash_b64u: chain[0]?.event_hash_b64u })] });
    expect(codesOf(bundle)).toEqual(["MALFORMED_ENVELOPE"]);
    // A caller that accepts bundles beyond upstream's reach raises the cap explicitly.
    expect(verifyProofBundle(bundle, { ...options(), limits: { max_events: 1001 } }).valid).toBe(true);
    expect(verifyProofBundle(bundle, { ...options(), limits: { max_events: 0 } }).reason_codes).toEqual(["DEPENDENCY_NOT_CONFIGURED"]);
  });
});

describe("verifyProofBundle: enveloped tool receipts", () => {
  function withToolEnvelope(signer = keys.agent): SignedEnvelope<Payload> {
    return edited((p) => {
      const [bare] = p["tool_receipts"] as Payload[];
      p["tool_receipts"] = [signEnvelope({ envelopeType: "tool_receipt", payload: bare, signer, issuedAt: "2026-02-20T10:00:05.000Z" })];
    });
  }

  /** A tool receipt in upstream's v2 form: salted payload and an envelope_version "2" that may carry co-signatures. */
  function withToolEnvelopeV2(): SignedEnvelope<Payload> {
    return edited((p) => {
      const [bare] = p["tool_receipts"] as Payload[];
      const payload = { ...bare, receipt_version: "2", args_salt_b64u: sha256B64u("salt a"), result_salt_b64u: sha256B64u("salt r") };
      const envelope = signEnvelope({ envelopeType: "tool_receipt", payload, signer: keys.agent, issuedAt: "2026-02-20T10:00:05.000Z" });
      p["tool_receipts"] = [{ ...envelope, envelope_version: "2" }];
    });
  }

  it("signed by the bundle's agent or a trusted gateway passes", () => {
    expect(codesOf(withToolEnvelope(keys.agent))).toEqual(["OK"]);
    expect(codesOf(withToolEnvelope(keys.gateway))).toEqual(["OK"]);
  });

  it("signed by anyone else fails", () => {
    expect(codesOf(withToolEnvelope(keys.stranger))).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("a version 2 envelope (co-signatures) fails closed", () => {
    expect(codesOf(withToolEnvelopeV2())).toEqual(["UNKNOWN_ENVELOPE_VERSION"]);
  });
});

describe("verifyProofBundle: evidence we do not verify fails closed", () => {
  const hash = sha256B64u("x");
  it.each([
    ["urm", { urm_version: "1", urm_id: "urm_1", resource_type: "run", resource_hash_b64u: hash }],
    ["attestations", [{ attestation_id: "a", attestation_type: "owner", attester_did: keys.stranger.did, subject_did: keys.agent.did, signature_b64u: hash }]],
    ["rate_limit_claims", [{ claim_version: "1", scope: "agent", scope_key: "k", window_start: "2026-02-20T10:00:00Z", window_end: "2026-02-20T11:00:00Z", max_requests: 5, observed_requests: 1 }]],
  ])("payload.%s", (section, value) => {
    expect(codesOf(edited((p) => (p[section] = value)))).toContain("UNSUPPORTED_EVIDENCE");
  });

  it("verifier-checked metadata", () => {
    expect(codesOf(edited((p) => (p["metadata"] = { sentinels: { interpose_active: true } })))).toContain("UNSUPPORTED_EVIDENCE");
  });

  it("causal span bindings on a receipt", () => {
    const bundle = edited((p) => {
      const [side] = p["side_effect_receipts"] as Payload[];
      ((side as Payload)["binding"] as Payload)["span_id"] = "span_1";
    });
    expect(codesOf(bundle)).toEqual(["UNSUPPORTED_EVIDENCE"]);
  });
});
