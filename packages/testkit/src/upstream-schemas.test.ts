import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clawsigDir, upstreamAjv, validateUpstream } from "./index.js";

const D07 = "http://json-schema.org/draft-07/schema#";
const D2020 = "https://json-schema.org/draft/2020-12/schema";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway clawsig folder holding the given schemas, keyed by path under schemas/. */
function fakeClawsig(schemas: Record<string, object>): { env: { CLAWSIG_DIR: string } } {
  const dir = mkdtempSync(join(tmpdir(), "clawsig-schemas-"));
  temps.push(dir);
  mkdirSync(join(dir, "vectors"));
  for (const [path, schema] of Object.entries(schemas)) {
    mkdirSync(dirname(join(dir, "schemas", path)), { recursive: true });
    writeFileSync(join(dir, "schemas", path), JSON.stringify(schema));
  }
  return { env: { CLAWSIG_DIR: dir } };
}

describe("upstreamAjv over the shared schemas", () => {
  const upstream = upstreamAjv();

  it("loads and compiles every schema file", () => {
    const files = readdirSync(join(clawsigDir(), "schemas"), { recursive: true }).filter((f) => String(f).endsWith(".json"));
    expect(upstream.schemas).toHaveLength(files.length);
    for (const schema of upstream.schemas) expect(typeof upstream.validator(schema.id)).toBe("function");
  });

  it("covers both drafts and both $id hosts", () => {
    expect(new Set(upstream.schemas.map((s) => s.draft))).toEqual(new Set(["draft-07", "2020-12"]));
    const hosts = new Set(upstream.schemas.map((s) => new URL(s.id).host));
    expect(hosts).toEqual(new Set(["schemas.clawbureau.org", "schemas.clawbureau.com"]));
  });

  it("finds a schema by $id and by path", () => {
    const byPath = upstream.get("poh/tool_receipt.v1.json");
    expect(upstream.get("https://schemas.clawbureau.com/poh/tool_receipt.v1.json")).toBe(byPath);
    expect(() => upstream.get("poh/nope.v1.json")).toThrow(/no upstream schema/);
  });

  it("follows relative $refs inside draft-07 envelopes", () => {
    const payload = {
      receipt_version: "1",
      receipt_id: "har_1",
      approval_type: "explicit_approve",
      approver_subject: "alice@example.com",
      agent_did: "did:key:z6Mk",
      scope_hash_b64u: "c2NvcGU",
      hash_algorithm: "SHA-256",
      timestamp: "2026-01-01T00:00:00Z",
    };
    const envelope = {
      envelope_version: "1",
      envelope_type: "human_approval_receipt",
      payload,
      payload_hash_b64u: "aGFzaA",
      hash_algorithm: "SHA-256",
      signature_b64u: "c2ln",
      algorithm: "Ed25519",
      signer_did: "did:key:z6Mk",
      issued_at: "2026-01-01T00:00:00Z",
    };
    expect(validateUpstream("poh/human_approval_receipt_envelope.v1.json", envelope)).toEqual({ ok: true, errors: [] });
    const bad = validateUpstream("poh/human_approval_receipt_envelope.v1.json", { ...envelope, payload: { ...payload, approval_type: "maybe" } });
    expect(bad.ok).toBe(false);
    expect(bad.errors.join("\n")).toMatch(/\/payload\/approval_type/);
  });

  it("validates date-time formats", () => {
    const proof = {
      proof_version: "1",
      log_id: "log",
      tree_size: 1,
      leaf_hash_b64u: "AAAAAAAA",
      root_hash_b64u: "AAAAAAAA",
      audit_path: [],
      root_published_at: "2026-01-01T00:00:00Z",
      root_signature: { signer_did: "did:key:z", sig_b64u: "AAAAAAAA" },
    };
    expect(validateUpstream("poh/log_inclusion_proof.v1.json", proof).ok).toBe(true);
    expect(validateUpstream("poh/log_inclusion_proof.v1.json", { ...proof, root_published_at: "yesterday" }).ok).toBe(false);
  });
});

describe("upstreamAjv loading rules", () => {
  it("evaluates a schema $ref'd across drafts under the referencing draft", () => {
    const options = fakeClawsig({
      "a/leaf.json": { $schema: D07, $id: "https://x.test/a/leaf.json", type: "string", minLength: 2 },
      "b/root.json": { $schema: D2020, $id: "https://x.test/b/root.json", type: "object", properties: { leaf: { $ref: "../a/leaf.json" } } },
    });
    const upstream = upstreamAjv(options);
    expect(upstream.validate("b/root.json", { leaf: "ok" }).ok).toBe(true);
    expect(upstream.validate("b/root.json", { leaf: "x" }).ok).toBe(false);
    expect(upstream.validate("a/leaf.json", "x").ok).toBe(false);
  });

  it("refuses a cross-draft $ref to a schema using a draft-specific keyword", () => {
    const options = fakeClawsig({
      "leaf.json": { $schema: D07, $id: "https://x.test/leaf.json", type: "array", items: [{ type: "string" }], additionalItems: false },
      "root.json": { $schema: D2020, $id: "https://x.test/root.json", $ref: "leaf.json" },
    });
    expect(() => upstreamAjv(options)).toThrow(/leaf.json \(draft-07\) is referenced from 2020-12 but uses additionalItems/);
  });

  it("refuses a dangling $ref", () => {
    const options = fakeClawsig({ "root.json": { $schema: D2020, $id: "https://x.test/root.json", $ref: "gone.json" } });
    expect(() => upstreamAjv(options)).toThrow(/references unknown schema https:\/\/x.test\/gone.json/);
  });

  it("refuses an undeclared draft", () => {
    const options = fakeClawsig({ "root.json": { $id: "https://x.test/root.json", type: "object" } });
    expect(() => upstreamAjv(options)).toThrow(/unsupported \$schema/);
  });
});
