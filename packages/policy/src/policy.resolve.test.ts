// resolvePolicy: `inherits` read through the caller's registry lookup, one implementation for every caller.
import { describe, expect, it } from "vitest";
import { decide } from "./decision.decide.js";
import { context, wpcV1 } from "./fixtures.test-support.js";
import { inheritsOf, resolvePolicy } from "./policy.resolve.js";

const ISSUER = "did:web:acme.example";

const layer = (policy_id: string, inherits?: string, denied = "none.example") => ({
  policy_version: "2",
  policy_id,
  issuer_did: ISSUER,
  ...(inherits === undefined ? {} : { inherits }),
  statements: [
    { sid: `${policy_id}-egress`, effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
    { sid: `${policy_id}-deny`, effect: "Deny", actions: ["side_effect:network_egress"], resources: [denied] },
  ],
});

/** A registry lookup that records what it was asked, answering asynchronously as a database would. */
function registry(documents: Record<string, unknown>) {
  const asked: string[] = [];
  const lookup = async (id: string) => {
    asked.push(id);
    await Promise.resolve();
    return documents[id];
  };
  return { asked, lookup };
}

describe("inheritsOf", () => {
  it.each<[string, unknown, string | null]>([
    ["a v2 document that inherits", layer("child", "base"), "base"],
    ["a v2 document that does not", layer("base"), null],
    ["a v1 document", wpcV1, null],
    ["not an object", "policy", null],
    ["an array", [], null],
    ["a non-string inherits", { inherits: 7 }, null],
  ])("%s", (_name, document, expected) => {
    expect(inheritsOf(document)).toBe(expected);
  });
});

describe("resolvePolicy", () => {
  it("reads each parent of the chain once, in order, and normalises with them", async () => {
    const { asked, lookup } = registry({ team: layer("team", "org", "team-denied.example"), org: layer("org", undefined, "org-denied.example") });
    const result = await resolvePolicy(layer("agent", "team"), lookup);
    expect(asked).toEqual(["team", "org"]);
    expect(result.ok && result.policy.layers.map((l) => l.policy_id)).toEqual(["agent", "team", "org"]);
    if (!result.ok) return;
    const egress = (host: string) => decide(result.policy, { type: "egress", scheme: "https", host, port: 443 }, context({ phase: "plan" }));
    expect(egress("org-denied.example")).toMatchObject({ reason_code: "POLICY_EGRESS_DENIED", statement_ids: ["org-deny"] });
    expect(egress("ok.example")).toMatchObject({ reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED" });
  });

  it("asks nothing for a policy that inherits nothing", async () => {
    const { asked, lookup } = registry({});
    expect((await resolvePolicy(wpcV1, lookup)).ok).toBe(true);
    expect((await resolvePolicy(layer("base"), lookup)).ok).toBe(true);
    expect(asked).toEqual([]);
  });

  it("takes whatever the lookup answers now: a newer parent under the same policy_id changes the result", async () => {
    const documents: Record<string, unknown> = { base: layer("base", undefined, "a.example") };
    const { lookup } = registry(documents);
    const child = layer("child", "base");
    const before = await resolvePolicy(child, lookup);
    documents["base"] = layer("base", undefined, "b.example");
    const after = await resolvePolicy(child, lookup);
    const hashes = [before, after].map((r) => (r.ok ? r.policy.layers[1]?.policy_hash_b64u : null));
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an unknown parent", {}],
    ["a parent the lookup answers with null", { base: null }],
    ["a cycle", { base: layer("base", "child") }],
    ["a parent that names itself", { base: layer("base", "base") }],
    ["a parent under another policy_id", { base: layer("other") }],
  ])("fails closed with POLICY_PARENT_UNRESOLVED for %s", async (_name, documents) => {
    const { asked, lookup } = registry(documents);
    const result = await resolvePolicy(layer("child", "base"), lookup);
    expect(result.ok === false && result.reason_code).toBe("POLICY_PARENT_UNRESOLVED");
    expect(asked.length).toBeLessThanOrEqual(2);
  });

  it("stops asking at the depth normalizePolicy accepts, and reports the chain as too deep", async () => {
    const asked: string[] = [];
    const endless = (id: string) => {
      asked.push(id);
      return layer(id, `${id}x`);
    };
    const result = await resolvePolicy(layer("child", "p"), endless);
    expect(result.ok === false && result.reason_code).toBe("POLICY_PARENT_UNRESOLVED");
    expect(asked).toHaveLength(8);
  });

  it("reports an invalid parent as an invalid policy", async () => {
    const result = await resolvePolicy(layer("child", "base"), () => ({ ...layer("base"), statements: [] }));
    expect(result.ok === false && result.reason_code).toBe("POLICY_INVALID");
  });

  it("rejects when the lookup fails, so the caller can answer that its registry is unavailable", async () => {
    const down = new Error("registry down");
    await expect(
      resolvePolicy(layer("child", "base"), () => {
        throw down;
      }),
    ).rejects.toBe(down);
  });
});
