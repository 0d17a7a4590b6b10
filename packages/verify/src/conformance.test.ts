// Every upstream conformance vector reaches its expected verdict and reason code.
import { loadTrustConfig, loadVectorManifest, readVector } from "@clawea/testkit";
import { describe, expect, it } from "vitest";
import { verifyArtifact, type TrustAnchors } from "./index.js";

// Verification time for the vectors: after they were issued, and no vector carries an expiry.
const NOW = "2026-03-01T00:00:00.000Z";

/** The anchors the vectors assume: any listed DID is allowed; the named lists pin the roles they name. */
function vectorAnchors(): TrustAnchors {
  const { allowlists } = loadTrustConfig();
  return {
    allowed_signer_dids: [...new Set(Object.values(allowlists).flat())],
    roles: {
      gateway: allowlists["gateway_receipt_signer_dids"] ?? [],
      derivation: allowlists["derivation_attestation_signer_dids"] ?? [],
    },
  };
}

describe("conformance vectors", () => {
  const manifest = loadVectorManifest();
  const trust = vectorAnchors();

  it("covers every kind the manifest uses", () => {
    expect(manifest.vectors.length).toBeGreaterThanOrEqual(10);
  });

  it.each(manifest.vectors.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
    const result = verifyArtifact(vector.kind, readVector(vector.path), { trust, now: NOW });
    const expectedCodes = typeof vector.expected.reason_code === "string" ? [vector.expected.reason_code] : vector.expected.reason_code;
    expect(result.valid, JSON.stringify(result.findings)).toBe(vector.expected.valid);
    // The primary code is one the vector allows.
    expect(expectedCodes).toContain(result.reason_codes[0]);
  });
});
