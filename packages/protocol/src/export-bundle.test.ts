import { describe, expect, it } from "vitest";
import { readVector } from "@clawea/testkit";
import { keyPairFromSeed, publicKeyFromDid, verifyBytes } from "./did-key.js";
import { b64uDecode, utf8 } from "./encoding.js";
import { exportBundleHash, exportManifestEntries, signExportBundle, type ExportArtifacts } from "./export-bundle.js";
import { sha256 } from "./hash.js";
import { signEnvelope } from "./envelope.js";

const golden = (readVector("export_bundle_golden.v1.json") as { bundle: Record<string, unknown> & { artifacts: ExportArtifacts; manifest: { entries: unknown[] } } }).bundle;

describe("export bundles", () => {
  it("derive the golden vector's manifest and bundle hash", () => {
    expect(exportManifestEntries(golden.artifacts)).toEqual(golden.manifest.entries);
    expect(exportBundleHash(golden)).toBe(golden.bundle_hash_b64u);
  });

  it("sign a bundle whose manifest, hash and signature hold", () => {
    const issuer = keyPairFromSeed(sha256("issuer"));
    const proof = signEnvelope({ envelopeType: "proof_bundle", payload: { bundle_version: "1" }, signer: issuer, issuedAt: "2026-11-25T10:00:00Z" });
    const attestation = signEnvelope({ envelopeType: "execution_attestation", payload: { z: 1, a: 2 }, signer: issuer, issuedAt: "2026-11-25T10:00:00Z" });
    const bundle = signExportBundle({
      exportId: "exp_1",
      artifacts: { proof_bundle_envelope: proof, execution_attestation_envelopes: [attestation], derivation_attestation_envelopes: [] },
      issuer,
      createdAt: "2026-11-25T10:00:00Z",
      issuedAt: "2026-11-25T10:00:01Z",
      metadata: { run_id: "run_1" },
    });
    expect(bundle.manifest.entries.map((e) => e.path)).toEqual(["artifacts/proof_bundle_envelope.json", "artifacts/execution_attestation_envelopes/0.json"]);
    expect("derivation_attestation_envelopes" in bundle.artifacts).toBe(false);
    expect(exportBundleHash(bundle as unknown as Record<string, unknown>)).toBe(bundle.bundle_hash_b64u);
    expect(verifyBytes(publicKeyFromDid(bundle.issuer_did), utf8(bundle.bundle_hash_b64u), b64uDecode(bundle.signature_b64u))).toBe(true);
    const tampered = { ...bundle, export_id: "exp_2" };
    expect(exportBundleHash(tampered as unknown as Record<string, unknown>)).not.toBe(bundle.bundle_hash_b64u);
    expect(() => signExportBundle({ exportId: "x", artifacts: { proof_bundle_envelope: proof }, issuer, createdAt: "now", issuedAt: "now" })).toThrow();
  });
});
