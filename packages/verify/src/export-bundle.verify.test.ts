// Export bundles: manifest, bundle hash and signature, the artifacts inside, and the agent vouched for by its attestation.
import { describe, expect, it } from "vitest";
import {
  anchors,
  buildDerivationAttestation,
  buildExecutionAttestation,
  buildExportBundle,
  buildProofBundle,
  clone,
  keys,
  leafPaths,
  options,
  pathText,
  resignExport,
  RUN_ID,
  withMutation,
} from "./fixtures.test-support.js";
import type { ReasonCode } from "@clawea/protocol";
import { verifyExportBundle, type TrustAnchors } from "./index.js";

type Json = Record<string, unknown>;

function codesOf(bundle: unknown, trust?: TrustAnchors, now?: string): ReasonCode[] {
  return verifyExportBundle(bundle, options(trust, now)).reason_codes;
}

/** Anchors that do not pin the agent: its key is trusted only through an execution attestation. */
function withoutAgent(): TrustAnchors {
  const trust = anchors();
  const { agent: _agent, ...roles } = trust.roles ?? {};
  return { allowed_signer_dids: trust.allowed_signer_dids.filter((did) => did !== keys.agent.did), roles };
}

describe("verifyExportBundle: the valid bundle", () => {
  it("passes and reports every artifact it verified", () => {
    const proofBundle = buildProofBundle();
    const bundle = buildExportBundle({ proofBundle });
    const result = verifyExportBundle(bundle, options());
    expect(result.findings).toEqual([]);
    expect(result.details).toMatchObject({
      export_id: "exp_fixture_001",
      issuer_did: keys.controlPlane.did,
      manifest_entry_count: 3,
      proof_bundle: { run_id: RUN_ID, proof_bundle_hash_b64u: proofBundle.payload_hash_b64u, agent_trusted_via: "trust_anchors" },
      execution_attestations: [{ agent_did: keys.agent.did, proof_bundle_hash_b64u: proofBundle.payload_hash_b64u }],
      derivation_attestations: [{ signer_did: keys.derivation.did, inclusion_proof: { leaf_index: 3, tree_size: 5 } }],
    });
  });

  it("trusts an unpinned agent through a trusted execution attestation of this very bundle", () => {
    const result = verifyExportBundle(buildExportBundle(), options(withoutAgent()));
    expect(result.reason_codes).toEqual(["OK"]);
    expect(result.details?.proof_bundle.agent_trusted_via).toBe("execution_attestation");
  });

  it("does not trust an unpinned agent without an execution attestation", () => {
    expect(codesOf(buildExportBundle({ executions: [] }), withoutAgent())).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("does not trust an unpinned agent whose attestation names another agent or bundle", () => {
    const proofBundle = buildProofBundle();
    const otherAgent = buildExecutionAttestation(proofBundle, { agentDid: keys.stranger.did });
    expect(codesOf(buildExportBundle({ proofBundle, executions: [otherAgent] }), withoutAgent())).toEqual([
      "HASH_MISMATCH",
      "SIGNER_NOT_TRUSTED",
    ]);
    const otherBundle = buildExecutionAttestation(buildProofBundle({ extra: { bundle_id: "bundle_other" } }));
    expect(codesOf(buildExportBundle({ proofBundle, executions: [otherBundle] }), withoutAgent())).toEqual([
      "HASH_MISMATCH",
      "SIGNER_NOT_TRUSTED",
    ]);
  });

  it("does not trust an unpinned agent through an attestation from an untrusted data plane", () => {
    const proofBundle = buildProofBundle();
    const rogue = buildExecutionAttestation(proofBundle, { signer: keys.stranger });
    expect(codesOf(buildExportBundle({ proofBundle, executions: [rogue] }), withoutAgent())).toEqual(["SIGNER_NOT_TRUSTED"]);
  });
});

describe("verifyExportBundle: every leaf is bound", () => {
  const bundle = buildExportBundle();
  const paths = leafPaths(bundle);
  it("has leaves to mutate", () => {
    expect(paths.length).toBeGreaterThan(150);
  });
  it.each(paths.map((path) => [pathText(path), path] as const))("changing %s fails", (_text, path) => {
    expect(verifyExportBundle(withMutation(bundle, path), options()).valid).toBe(false);
  });
});

describe("verifyExportBundle: issuer, manifest, times", () => {
  it("an issuer outside the control-plane role is not trusted", () => {
    expect(codesOf(buildExportBundle({ issuer: keys.dataPlane }))).toEqual(["SIGNER_NOT_TRUSTED"]);
    expect(codesOf(buildExportBundle({ issuer: keys.stranger }))).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("a manifest hash that does not match its artifact, even re-signed", () => {
    const bundle = clone(buildExportBundle());
    const [entry] = (bundle["manifest"] as { entries: Json[] }).entries;
    (entry as Json)["sha256_b64u"] = (entry as Json)["sha256_b64u"] === "A".repeat(43) ? "B".repeat(43) : "A".repeat(43);
    expect(codesOf(resignExport(bundle))).toEqual(["HASH_MISMATCH"]);
  });

  it("a manifest missing an artifact, or listing one that is absent", () => {
    const bundle = clone(buildExportBundle());
    const manifest = bundle["manifest"] as { entries: Json[] };
    const dropped = { ...bundle, manifest: { ...manifest, entries: manifest.entries.slice(0, 2) } };
    expect(codesOf(resignExport(dropped))).toEqual(["MISSING_REQUIRED_FIELD"]);
    const extra = { ...bundle, manifest: { ...manifest, entries: [...manifest.entries, { ...manifest.entries[0], path: "artifacts/x.json" }] } };
    expect(codesOf(resignExport(extra))).toEqual(["MISSING_REQUIRED_FIELD"]);
    const twice = { ...bundle, manifest: { ...manifest, entries: [...manifest.entries, manifest.entries[0]] } };
    expect(codesOf(resignExport(twice))).toEqual(["MALFORMED_ENVELOPE"]);
  });

  it("a bundle issued after the verification time, created after it was issued, or expired", () => {
    // Five minutes of clock skew are allowed, as upstream allows them.
    expect(codesOf(buildExportBundle(), anchors(), "2026-02-20T09:56:00.000Z")).toEqual(["OK"]);
    expect(codesOf(buildExportBundle(), anchors(), "2026-02-20T09:00:00.000Z")).toEqual(["FUTURE_TIMESTAMP_POISONING"]);
    const late = clone(buildExportBundle());
    late["created_at"] = "2026-02-21T00:00:00.000Z";
    expect(codesOf(resignExport(late))).toEqual(["CAUSAL_CLOCK_CONTRADICTION"]);
    const expiring = clone(buildExportBundle());
    expiring["expires_at"] = "2026-02-25T00:00:00.000Z";
    expect(codesOf(resignExport(expiring))).toEqual(["EXPIRED_TTL"]);
  });

  it.each([
    ["export_version", "2", "UNKNOWN_VERSION"],
    ["hash_algorithm", "BLAKE3", "UNKNOWN_HASH_ALGORITHM"],
    ["algorithm", "ES256", "UNKNOWN_ALGORITHM"],
  ])("%s = %s fails closed with %s", (field, value, code) => {
    expect(codesOf({ ...buildExportBundle(), [field]: value })).toEqual([code]);
  });

  it("a document that is not an export bundle fails the schema", () => {
    expect(codesOf({ bundle: buildExportBundle() })).toEqual(["SCHEMA_VALIDATION_FAILED"]);
    expect(codesOf(null)).toEqual(["SCHEMA_VALIDATION_FAILED"]);
  });
});

describe("verifyExportBundle: the artifacts inside", () => {
  it("an execution attestation for another run", () => {
    const proofBundle = buildProofBundle();
    const attestation = buildExecutionAttestation(proofBundle, { runId: "run_other" });
    expect(codesOf(buildExportBundle({ proofBundle, executions: [attestation] }))).toEqual(["HASH_MISMATCH"]);
  });

  it("a derivation attestation pinning another proof bundle", () => {
    const proofBundle = buildProofBundle();
    const derivation = buildDerivationAttestation(buildProofBundle({ extra: { bundle_id: "bundle_other" } }));
    expect(codesOf(buildExportBundle({ proofBundle, derivations: [derivation] }))).toEqual(["HASH_MISMATCH"]);
  });

  it("a derivation attestation from a signer outside the derivation role", () => {
    const proofBundle = buildProofBundle();
    expect(codesOf(buildExportBundle({ proofBundle, derivations: [buildDerivationAttestation(proofBundle, keys.gateway)] }))).toEqual([
      "SIGNER_NOT_TRUSTED",
    ]);
  });

  it("a proof bundle that fails makes the export fail with its reason", () => {
    const proofBundle = buildProofBundle({ agentDid: keys.stranger.did });
    expect(codesOf(buildExportBundle({ proofBundle }))).toContain("PROOF_BUNDLE_AGENT_MISMATCH");
  });
});
