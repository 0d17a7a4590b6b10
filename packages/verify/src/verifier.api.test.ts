// The public surface: artifacts in their usual containers, and an answer (never a throw) for any input.
import { describe, expect, it } from "vitest";
import { buildExecutionAttestation, buildExportBundle, buildInclusionProof, buildProofBundle, options } from "./fixtures.test-support.js";
import { ARTIFACT_KINDS, verifyArtifact, verifyExportBundle, verifyLogInclusionProof, verifyProofBundle } from "./index.js";

describe("verifyArtifact", () => {
  const proofBundle = buildProofBundle();
  const documents = {
    proof_bundle: proofBundle,
    execution_attestation: buildExecutionAttestation(proofBundle),
    export_bundle: buildExportBundle({ proofBundle }),
    log_inclusion_proof: buildInclusionProof(),
  };

  it.each(ARTIFACT_KINDS)("verifies a bare %s", (kind) => {
    expect(verifyArtifact(kind, documents[kind], options()).reason_codes).toEqual(["OK"]);
  });

  it("unwraps upstream's containers", () => {
    expect(verifyArtifact("proof_bundle", { envelope: documents.proof_bundle }, options()).valid).toBe(true);
    expect(verifyArtifact("execution_attestation", { envelope: documents.execution_attestation }, options()).valid).toBe(true);
    expect(verifyArtifact("export_bundle", { bundle: documents.export_bundle }, options()).valid).toBe(true);
    expect(verifyArtifact("log_inclusion_proof", { inclusion_proof_v1: documents.log_inclusion_proof }, options()).valid).toBe(true);
  });

  it("gives each kind's facts", () => {
    const result = verifyArtifact("log_inclusion_proof", documents.log_inclusion_proof, options());
    expect(result.valid && result.details.leaf_index).toBe(3);
  });
});

describe("malformed input is an answer", () => {
  const cyclic: Record<string, unknown> = { envelope_version: "1" };
  cyclic["self"] = cyclic;
  const deep = JSON.parse("[".repeat(5000) + "]".repeat(5000)) as unknown;
  const inputs: [string, unknown][] = [
    ["undefined", undefined],
    ["a number", 7],
    ["a cycle", cyclic],
    ["deep nesting", deep],
    ["an envelope with a deep payload", { ...buildProofBundle(), payload: { deep } }],
  ];
  const verifiers = { verifyProofBundle, verifyExportBundle, verifyLogInclusionProof };

  it("an object whose fields throw when read is unreadable input", () => {
    const boom = (): never => {
      throw new Error("boom");
    };
    const hostile = new Proxy({}, { has: () => true, get: boom, ownKeys: boom });
    for (const verify of Object.values(verifiers)) {
      expect(verify(hostile, options()).reason_codes).toEqual(["INPUT_UNREADABLE"]);
    }
  });

  it.each(inputs)("%s", (_name, input) => {
    for (const verify of Object.values(verifiers)) {
      const result = verify(input, options());
      expect(result.valid).toBe(false);
      expect(result.reason_codes.length).toBeGreaterThan(0);
      expect(result.findings.length).toBeGreaterThan(0);
    }
  });
});
