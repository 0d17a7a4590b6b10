import { upstreamAjv } from "@clawea/testkit";
import { describe, expect, expectTypeOf, it } from "vitest";
import { validSamples } from "../test/samples.js";
import {
  allSchemas,
  ARTIFACT_KINDS,
  artifactSchemas,
  CLAWEA_SCHEMA_BASE,
  validate,
  type Artifact,
  type ArtifactKind,
  type ExecutionAttestationPayload,
  type GatewayReceiptEnvelope,
  type GatewayReceiptPayload,
  type SignedEnvelope,
  type TeeAttestation,
  type WorkPolicyContractV2,
} from "./index.js";

const receipt = validSamples.gateway_receipt[0] as GatewayReceiptPayload;

function refsOf(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => refsOf(item, found));
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.add(value);
      else refsOf(value, found);
    }
  }
  return found;
}

describe("validate", () => {
  it("narrows the value to the artifact's type", () => {
    const result = validate("gateway_receipt", JSON.parse(JSON.stringify(receipt)) as unknown);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expectTypeOf(result.value).toEqualTypeOf<GatewayReceiptPayload>();
      expect(result.value.receipt_id).toBe(receipt.receipt_id);
    }
    expectTypeOf<Artifact<"wpc_v2">>().toEqualTypeOf<WorkPolicyContractV2>();
  });

  it("types the generic envelope like the typed one", () => {
    expectTypeOf<SignedEnvelope<"gateway_receipt", GatewayReceiptPayload>>().toEqualTypeOf<GatewayReceiptEnvelope>();
  });

  it("lets TypeScript narrow an execution attestation on execution_type", () => {
    const check = (attestation: ExecutionAttestationPayload): void => {
      if (attestation.execution_type === "tee_execution") expectTypeOf(attestation.runtime_metadata.tee).toEqualTypeOf<TeeAttestation>();
    };
    check(validSamples.execution_attestation[1] as ExecutionAttestationPayload);
  });

  it("points at a missing member with a JSON Pointer", () => {
    const envelope = { ...validSamples.gateway_receipt_envelope[0], payload: { ...receipt, receipt_id: undefined } };
    const result = validate("gateway_receipt_envelope", JSON.parse(JSON.stringify(envelope)) as unknown);
    expect(result).toMatchObject({ ok: false, errors: [{ path: "/payload/receipt_id" }] });
  });

  it("points at an unexpected member, escaping it as RFC 6901 says", () => {
    const result = validate("receipt_binding", { "run/id~1": "x" });
    expect(result).toMatchObject({ ok: false, errors: [{ path: "/run~1id~01" }] });
    if (!result.ok) expect(result.errors[0]?.message).not.toBe("");
  });

  it.each([
    ["a date that does not exist", "2026-02-30T00:00:00Z"],
    ["no time zone", "2026-02-12T00:00:00"],
    ["a date only", "2026-02-12"],
    ["free text", "yesterday"],
  ])("rejects a timestamp with %s", (_what, timestamp) => {
    expect(validate("gateway_receipt", { ...receipt, timestamp })).toMatchObject({ ok: false, errors: [{ path: "/timestamp" }] });
  });

  it("accepts RFC 3339 timestamps with an offset and fractional seconds", () => {
    expect(validate("gateway_receipt", { ...receipt, timestamp: "2026-02-12T01:02:03.456+02:00" }).ok).toBe(true);
  });

  it("throws on a kind it does not know", () => {
    expect(() => validate("gateway_receipt_v9" as ArtifactKind, {})).toThrow(/unknown artifact kind gateway_receipt_v9/);
  });

  it("compiles every kind under Ajv strict mode", () => {
    for (const kind of ARTIFACT_KINDS) expect(validate(kind, null).ok, kind).toBe(false);
  });
});

describe("schema set", () => {
  const ids = allSchemas.map((schema) => schema.$id);

  it("gives every schema a distinct $id of ours", () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(new RegExp(`^${CLAWEA_SCHEMA_BASE.replace(/\./g, "\\.")}(poh|policy|auth)/[a-z0-9_]+\\.v[12]\\.json$`));
  });

  it("holds every schema that any schema $refs", () => {
    const refs = new Set(allSchemas.flatMap((schema) => [...refsOf(schema)]));
    expect([...refs].filter((ref) => !ids.includes(ref))).toEqual([]);
  });

  it("names each $id after the upstream file it mirrors", () => {
    const upstream = upstreamAjv();
    const ours = ids.map((id) => (id as string).slice(CLAWEA_SCHEMA_BASE.length));
    // Upstream has no file for a single event chain entry; it is a member of poh/event_chain.v1.
    const unmatched = ours.filter((path) => !upstream.schemas.some((s) => s.path === path));
    expect(unmatched).toEqual(["poh/event_chain_entry.v1.json"]);
  });

  it("lists every kind once in the registry", () => {
    expect(ARTIFACT_KINDS).toEqual(Object.keys(artifactSchemas));
    expect(new Set(ARTIFACT_KINDS.map((kind) => artifactSchemas[kind].$id)).size).toBe(ARTIFACT_KINDS.length);
  });
});
