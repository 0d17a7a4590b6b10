// Log inclusion proofs: every leaf position of several tree sizes, tampering, and the log key's trust.
import { b64uEncode, sha256 } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import { anchors, buildInclusionProof, clone, keys, leafPaths, options, pathText, withMutation } from "./fixtures.test-support.js";
import { verifyLogInclusionProof } from "./index.js";

type Proof = Record<string, unknown>;

describe("verifyLogInclusionProof", () => {
  it.each([1, 2, 3, 5, 8, 13])("every leaf of a %i-leaf tree verifies", (size) => {
    for (let index = 0; index < size; index++) {
      const result = verifyLogInclusionProof(buildInclusionProof(index, keys.log, size), options());
      expect(result.reason_codes).toEqual(["OK"]);
      expect(result.details).toMatchObject({ tree_size: size, leaf_index: index, root_signer_did: keys.log.did });
    }
  });

  const proof = buildInclusionProof();
  /*
   * The format signs only root_hash_b64u: the log's name and publication time are not covered, and
   * neither is tree_size, which the audit path pins only up to the tree's height (5 and 6 leaves
   * share one path shape for leaf 3). Those are checked below for what can be checked.
   */
  const unsigned = new Set([".log_id", ".root_published_at", ".tree_size"]);
  const paths = leafPaths(proof).filter((path) => !unsigned.has(pathText(path)));
  it.each(paths.map((path) => [pathText(path), path] as const))("changing %s fails", (_text, path) => {
    expect(verifyLogInclusionProof(withMutation(proof, path), options()).valid).toBe(false);
  });

  it("a tree_size of another height fails", () => {
    expect(verifyLogInclusionProof({ ...proof, tree_size: 9 }, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
    expect(verifyLogInclusionProof({ ...proof, tree_size: 3 }, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
  });

  it("a proof for another leaf position fails", () => {
    const moved: Proof = { ...clone(proof), metadata: { leaf_index: 2 } };
    expect(verifyLogInclusionProof(moved, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
  });

  it("an audit path of the wrong length fails", () => {
    const path = proof["audit_path"] as string[];
    expect(verifyLogInclusionProof({ ...proof, audit_path: path.slice(1) }, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
    expect(verifyLogInclusionProof({ ...proof, audit_path: [...path, path[0]] }, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
  });

  it("a leaf that is not a 32-byte hash fails", () => {
    expect(verifyLogInclusionProof({ ...proof, leaf_hash_b64u: b64uEncode(new Uint8Array(20)) }, options()).reason_codes).toEqual([
      "INCLUSION_PROOF_INVALID",
    ]);
  });

  it("a missing leaf_index fails", () => {
    const { metadata: _dropped, ...rest } = proof;
    expect(verifyLogInclusionProof(rest, options()).reason_codes).toEqual(["INCLUSION_PROOF_INVALID"]);
  });

  it("a root signed by a key outside the log role is not trusted", () => {
    expect(verifyLogInclusionProof(buildInclusionProof(3, keys.gateway), options()).reason_codes).toEqual(["SIGNER_NOT_TRUSTED"]);
    expect(verifyLogInclusionProof(buildInclusionProof(3, keys.stranger), options()).reason_codes).toEqual(["SIGNER_NOT_TRUSTED"]);
  });

  it("a root signature by another key than the named signer fails", () => {
    const forged = buildInclusionProof(3, keys.stranger);
    const claimed = { ...forged, root_signature: { ...(forged["root_signature"] as Proof), signer_did: keys.log.did } };
    expect(verifyLogInclusionProof(claimed, options()).reason_codes).toEqual(["SIGNATURE_INVALID"]);
  });

  it("a signer that is not a did:key fails", () => {
    const claimed = { ...proof, root_signature: { ...(proof["root_signature"] as Proof), signer_did: "did:web:log.example" } };
    expect(verifyLogInclusionProof(claimed, options()).reason_codes).toEqual(["INVALID_DID_FORMAT"]);
  });

  it("a proof that does not match the schema fails", () => {
    expect(verifyLogInclusionProof({ ...proof, proof_version: "2" }, options()).reason_codes).toEqual(["SCHEMA_VALIDATION_FAILED"]);
    expect(verifyLogInclusionProof("proof", options()).reason_codes).toEqual(["SCHEMA_VALIDATION_FAILED"]);
  });

  it("a different root with the right shape fails the path", () => {
    const other = b64uEncode(sha256("another root"));
    const result = verifyLogInclusionProof({ ...proof, root_hash_b64u: other }, options(anchors()));
    expect(result.reason_codes).toContain("INCLUSION_PROOF_INVALID");
  });
});
