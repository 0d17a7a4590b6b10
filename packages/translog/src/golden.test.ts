// Upstream compatibility: the golden log vector's leaves, appended through the PostgreSQL log, give its root and proof.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicKeyFromDid, b64uDecode, utf8, verifyBytes } from "@clawea/protocol";
import { readVector } from "@clawea/testkit";
import { codeOf, proofChecks, startLog, type LogFixture } from "./log.test-support.js";

interface GoldenLogVector {
  leaves: string[];
  target_leaf_hash_b64u: string;
  proof: { leaf_index: number; tree_size: number; audit_path: string[]; root_hash_b64u: string };
  signed_root: { root_hash_b64u: string; signer_did: string; sig_b64u: string };
  inclusion_proof_v1: Record<string, unknown> & { root_published_at: string; log_id: string };
}

const golden = readVector("log_inclusion_proof_golden.v1.json") as GoldenLogVector;
let f: LogFixture;
beforeAll(async () => {
  f = await startLog({ logId: golden.inclusion_proof_v1.log_id });
  f.clock.now = new Date(golden.inclusion_proof_v1.root_published_at);
});
afterAll(() => f.close());

describe("the golden log vector", () => {
  it("rebuilt through the PostgreSQL log gives the same root and audit path", async () => {
    const appended = await f.log.append(golden.leaves.map((leaf) => ({ leaf_hash_b64u: leaf, tenant_id: "ten_golden", kind: "golden", ref: null })));
    expect(appended.map((a) => a.leaf_index)).toEqual([0, 1, 2, 3, 4]);
    expect(await f.log.root()).toEqual({ tree_size: golden.proof.tree_size, root_hash_b64u: golden.proof.root_hash_b64u });

    const proof = await f.log.inclusionProof(golden.target_leaf_hash_b64u);
    const { root_signature: signature, ...rest } = proof;
    const { root_signature: _theirs, ...expected } = golden.inclusion_proof_v1;
    expect(rest).toEqual(expected);
    expect(proof.audit_path).toEqual(golden.proof.audit_path);
    expect(proof.metadata.leaf_index).toBe(golden.proof.leaf_index);
    // Their log signed the very root ours computed; ours signs it the same way, with our key.
    const root = utf8(golden.signed_root.root_hash_b64u);
    expect(verifyBytes(publicKeyFromDid(golden.signed_root.signer_did), root, b64uDecode(golden.signed_root.sig_b64u))).toBe(true);
    expect(verifyBytes(publicKeyFromDid(signature.signer_did), root, b64uDecode(signature.sig_b64u))).toBe(true);
    expect(proofChecks(proof, f.clock.now)).toEqual({ ours: true, upstream: [], verify: ["OK"] });
  });

  it("appending its leaves again changes nothing", async () => {
    const again = await f.log.append(golden.leaves.map((leaf) => ({ leaf_hash_b64u: leaf, tenant_id: "ten_other", kind: "golden" })));
    expect(again.every((a) => a.existed)).toBe(true);
    expect((await f.log.root()).root_hash_b64u).toBe(golden.proof.root_hash_b64u);
    expect(await codeOf(f.log.inclusionProof(5))).toBe("LOG_LEAF_NOT_FOUND");
  });
});
