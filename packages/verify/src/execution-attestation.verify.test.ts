// Execution attestations: a trusted data plane's signature, bound to a run and a proof bundle.
import { describe, expect, it } from "vitest";
import { anchors, buildExecutionAttestation, buildProofBundle, clone, keys, leafPaths, options, pathText, resign, RUN_ID, withMutation } from "./fixtures.test-support.js";
import { verifyExecutionAttestation } from "./index.js";

describe("verifyExecutionAttestation", () => {
  const proofBundle = buildProofBundle();
  const attestation = buildExecutionAttestation(proofBundle);

  it("passes and reports what it binds", () => {
    const result = verifyExecutionAttestation(attestation, options());
    expect(result.reason_codes).toEqual(["OK"]);
    expect(result.details).toEqual({
      attestation_id: "att_1",
      execution_type: "sandbox_execution",
      agent_did: keys.agent.did,
      attester_did: keys.dataPlane.did,
      run_id: RUN_ID,
      proof_bundle_hash_b64u: proofBundle.payload_hash_b64u,
      attestation_hash_b64u: attestation.payload_hash_b64u,
      issued_at: attestation.payload["issued_at"],
    });
  });

  // issued_at sits outside the signed payload in the Clawsig envelope format.
  const paths = leafPaths(attestation).filter((path) => pathText(path) !== ".issued_at");
  it.each(paths.map((path) => [pathText(path), path] as const))("changing %s fails", (_text, path) => {
    expect(verifyExecutionAttestation(withMutation(attestation, path), options()).valid).toBe(false);
  });

  it("an attester outside the data-plane role is not trusted", () => {
    const byGateway = buildExecutionAttestation(proofBundle, { signer: keys.gateway });
    expect(verifyExecutionAttestation(byGateway, options()).reason_codes).toEqual(["SIGNER_NOT_TRUSTED"]);
    expect(verifyExecutionAttestation(buildExecutionAttestation(proofBundle, { signer: keys.stranger }), options()).reason_codes).toEqual([
      "SIGNER_NOT_TRUSTED",
    ]);
  });

  it("a payload attester that is not the signer fails as upstream's SIGNATURE_INVALID", () => {
    const envelope = clone(attestation);
    envelope.payload["attester_did"] = keys.stranger.did;
    expect(verifyExecutionAttestation(resign(envelope, keys.dataPlane), options()).reason_codes).toEqual(["SIGNATURE_INVALID"]);
  });

  it.each(["run_id", "proof_bundle_hash_b64u"])("an attestation without %s binds nothing", (field) => {
    const envelope = clone(attestation);
    delete envelope.payload[field];
    expect(verifyExecutionAttestation(resign(envelope, keys.dataPlane), options()).reason_codes).toEqual(["SCHEMA_VALIDATION_FAILED"]);
  });

  it("an expired attestation fails at the verification time", () => {
    const expiring = buildExecutionAttestation(proofBundle, { extra: { expires_at: "2026-02-25T00:00:00.000Z" } });
    expect(verifyExecutionAttestation(expiring, options(anchors(), "2026-02-24T00:00:00.000Z")).valid).toBe(true);
    expect(verifyExecutionAttestation(expiring, options()).reason_codes).toEqual(["EXPIRED_TTL"]);
  });

  it("a TEE attestation fails closed: no TEE roots are pinned", () => {
    const hash = proofBundle.payload_hash_b64u;
    const tee = buildExecutionAttestation(proofBundle, {
      extra: {
        execution_type: "tee_execution",
        runtime_metadata: {
          tee: {
            attestation_type: "generic_tee",
            root_id: "root",
            tcb_version: "1",
            evidence_ref: { resource_type: "quote", resource_hash_b64u: hash },
            measurements: { measurement_hash_b64u: hash },
          },
        },
      },
    });
    expect(verifyExecutionAttestation(tee, options()).reason_codes).toEqual(["UNSUPPORTED_EVIDENCE"]);
  });

  it("another envelope type is refused", () => {
    expect(verifyExecutionAttestation(proofBundle, options()).reason_codes).toEqual(["UNKNOWN_ENVELOPE_TYPE"]);
  });
});
