import { describe, expect, it } from "vitest";
import { parseTrust, verifyBundleBytes } from "./verify-bundle.js";

const trust = { allowed_signer_dids: ["did:key:z6MkExample"] };

describe("verifying an uploaded bundle", () => {
  it("answers INPUT_UNREADABLE for a file that is no bundle at all", async () => {
    const verdict = await verifyBundleBytes(new TextEncoder().encode("<html>"), trust, new Date("2026-01-01T00:00:00Z"));
    expect(verdict).toMatchObject({ valid: false, reason_codes: ["INPUT_UNREADABLE"] });
  });

  it("fails closed on JSON that is not an export bundle", async () => {
    const verdict = await verifyBundleBytes(new TextEncoder().encode('{"export_version":"1"}'), trust, new Date("2026-01-01T00:00:00Z"));
    expect(verdict.valid).toBe(false);
    expect(verdict.reason_codes.length).toBeGreaterThan(0);
    expect(verdict.reason_codes).not.toContain("OK");
  });
});

describe("trust anchors typed by the auditor", () => {
  it("accepts the shape GET /v1/trust answers", () => {
    expect(parseTrust('{"allowed_signer_dids":["did:key:a"],"roles":{"gateway":["did:key:a"]}}')).toEqual({ allowed_signer_dids: ["did:key:a"], roles: { gateway: ["did:key:a"] } });
    expect(parseTrust('{"allowed_signer_dids":["did:key:a"]}')).toEqual({ allowed_signer_dids: ["did:key:a"] });
  });

  it("explains what is wrong otherwise", () => {
    for (const text of ["", "[]", '{"allowed_signer_dids":[]}', '{"allowed_signer_dids":[1]}', '{"allowed_signer_dids":["d"],"roles":{"gateway":"d"}}']) {
      expect(parseTrust(text)).toHaveProperty("error");
    }
  });
});
