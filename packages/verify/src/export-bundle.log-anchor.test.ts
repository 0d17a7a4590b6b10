// Export bundles whose execution attestation anchors the proof bundle in the transparency log.
import { describe, expect, it } from "vitest";
import { buildLogInclusionProof, MerkleTree, b64uDecode, sha256, type SignedEnvelope } from "@clawea/protocol";
import { buildExecutionAttestation, buildExportBundle, buildProofBundle, keys, options } from "./fixtures.test-support.js";
import { verifyExportBundle } from "./index.js";

/** A log of `size` leaves whose leaf `index` is the proof bundle's payload hash, and its signed proof. */
function anchorFor(proofBundle: SignedEnvelope, index = 2, size = 5, signer = keys.log) {
  const leaves = Array.from({ length: size }, (_, i) => (i === index ? b64uDecode(proofBundle.payload_hash_b64u) : sha256(`other leaf ${i}`)));
  const proof = buildLogInclusionProof({ logId: "log_test", tree: MerkleTree.fromLeaves(leaves), leafIndex: index, treeSize: size, rootPublishedAt: "2026-02-20T10:00:09.000Z", signer });
  return { leaf_hash_b64u: proof.leaf_hash_b64u, root_hash_b64u: proof.root_hash_b64u, tree_size: size, inclusion_proof: proof };
}

function anchoredBundle(anchor: (proofBundle: SignedEnvelope) => unknown) {
  const proofBundle = buildProofBundle();
  const attestation = buildExecutionAttestation(proofBundle, { extra: { runtime_metadata: { stateless: true, log_anchor: anchor(proofBundle) } } });
  return buildExportBundle({ proofBundle, executions: [attestation] });
}

describe("verifyExportBundle: the transparency-log anchor", () => {
  it("verifies an anchor whose leaf is the proof bundle and reports it", () => {
    const result = verifyExportBundle(anchoredBundle((pb) => anchorFor(pb)), options());
    expect(result.findings).toEqual([]);
    expect(result.valid).toBe(true);
    expect((result.details as { log_anchors: unknown[] }).log_anchors).toEqual([expect.objectContaining({ leaf_index: 2, tree_size: 5, root_signer_did: keys.log.did })]);
  });

  it("fails an anchor of another leaf", () => {
    const result = verifyExportBundle(
      anchoredBundle((pb) => anchorFor({ ...pb, payload_hash_b64u: "A".repeat(43) })),
      options(),
    );
    expect(result.valid).toBe(false);
    expect(result.reason_codes).toContain("HASH_MISMATCH");
  });

  it("fails an anchor whose root was signed by an untrusted log key", () => {
    const result = verifyExportBundle(anchoredBundle((pb) => anchorFor(pb, 2, 5, keys.stranger)), options());
    expect(result.valid).toBe(false);
    expect(result.reason_codes).toContain("SIGNER_NOT_TRUSTED");
  });

  it("fails an anchor whose stated root is not the proof's", () => {
    const result = verifyExportBundle(anchoredBundle((pb) => ({ ...anchorFor(pb), root_hash_b64u: "B".repeat(43) })), options());
    expect(result.reason_codes).toContain("HASH_MISMATCH");
  });
});
