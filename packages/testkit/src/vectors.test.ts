import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadTrustConfig, loadVectorManifest, readVector, VECTOR_KINDS } from "./index.js";

describe("vectors", () => {
  it("loads the manifest with every vector readable", () => {
    const manifest = loadVectorManifest();
    expect(manifest.manifest_version).toBe("1");
    expect(manifest.vectors.length).toBeGreaterThan(0);
    for (const vector of manifest.vectors) {
      expect(VECTOR_KINDS).toContain(vector.kind);
      expect(typeof readVector(vector.path)).toBe("object");
    }
    expect(new Set(manifest.vectors.map((v) => v.kind))).toEqual(new Set(VECTOR_KINDS));
  });

  it("loads the trust anchors", () => {
    const trust = loadTrustConfig();
    expect(trust.allowlists["gateway_receipt_signer_dids"]?.length).toBeGreaterThan(0);
    for (const did of Object.values(trust.allowlists).flat()) expect(did).toMatch(/^did:key:z/);
  });

  it("refuses paths outside the vectors folder", () => {
    expect(() => readVector("../schemas/poh/urm.v1.json")).toThrow(/leaves the vectors folder/);
  });

  describe("with a malformed manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), "clawsig-vectors-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "schemas"));
    mkdirSync(join(dir, "vectors"));
    const env = { CLAWSIG_DIR: dir };

    it("throws on an unknown kind", () => {
      const manifest = { manifest_version: "1", vectors: [{ name: "x", kind: "aggregate", path: "x.json", expected: { valid: true, reason_code: "OK" } }] };
      writeFileSync(join(dir, "vectors", "manifest.json"), JSON.stringify(manifest));
      expect(() => loadVectorManifest({ env })).toThrow(/malformed: kind aggregate/);
    });

    it("throws on a non-string reason code", () => {
      const manifest = { manifest_version: "1", vectors: [{ name: "x", kind: "proof_bundle", path: "x.json", expected: { valid: false, reason_code: [1] } }] };
      writeFileSync(join(dir, "vectors", "manifest.json"), JSON.stringify(manifest));
      expect(() => loadVectorManifest({ env })).toThrow(/malformed: expected.reason_code/);
    });
  });
});
