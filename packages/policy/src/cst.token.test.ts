// CSTs: mint and verify, the claim mapping onto scoped_token_claims.v1, and every failure code.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { b64uDecode, b64uEncode, canonicalize, ProtocolError, signBytes, utf8 } from "@clawea/protocol";
import { validate } from "@clawea/schema";
import { describe, expect, it } from "vitest";
import { privateJwk, publicJwk } from "./cst.jws.js";
import { mintCst, readBinding, tokenScopeHash, verifyCst, type CstBinding, type MintCstInput, type VerifyCstOptions } from "./cst.token.js";
import { agent, controlPlane, NOW, stranger } from "./fixtures.test-support.js";

const SCOPE_HASH = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const POLICY_HASH = "1B2M2Y8AsgTpgAmY7PhCfg1B2M2Y8AsgTpgAmY7PhCf";
const T0 = Date.parse(NOW) / 1000;
const at = (offsetSeconds: number) => new Date((T0 + offsetSeconds) * 1000).toISOString();

const applyBinding: CstBinding = { tenant_id: "ten_acme", run_id: "run_42", phase: "apply", approved_scope_hash_b64u: SCOPE_HASH };

function mintInput(overrides: Partial<MintCstInput> = {}): MintCstInput {
  return {
    claims: {
      sub: agent.did,
      agent_did: agent.did,
      aud: ["clawea-gateway"],
      scope: ["model:invoke", "side_effect:*"],
      policy_hash_b64u: POLICY_HASH,
      mission_id: "mis_q4-report",
      jti: "cst_01",
      exp: T0 + 900,
    },
    binding: applyBinding,
    signer: controlPlane,
    now: NOW,
    ...overrides,
  };
}

function options(overrides: Partial<VerifyCstOptions> = {}): VerifyCstOptions {
  return {
    trustedIssuers: [controlPlane.did],
    audience: "clawea-gateway",
    now: at(60),
    expected: { tenant_id: "ten_acme", agent_did: agent.did, run_id: "run_42", phase: "apply", policy_hash_b64u: POLICY_HASH, approved_scope_hash_b64u: SCOPE_HASH },
    requiredScope: "side_effect:network_egress",
    isRevoked: () => false,
    ...overrides,
  };
}

function decode(token: string): { header: unknown; claims: Record<string, unknown> } {
  const [h, p] = token.split(".");
  const json = (s: string) => JSON.parse(new TextDecoder().decode(b64uDecode(s))) as unknown;
  return { header: json(h!), claims: json(p!) as Record<string, unknown> };
}

/** Signs any header and payload as-is (by hand: jose refuses to make such tokens), as a forger would. */
function craft(header: unknown, payload: unknown, signer = controlPlane): Promise<string> {
  const signingInput = `${b64uEncode(utf8(JSON.stringify(header)))}.${b64uEncode(utf8(JSON.stringify(payload)))}`;
  return Promise.resolve(`${signingInput}.${b64uEncode(signBytes(signer.privateKey, utf8(signingInput)))}`);
}

const token = await mintCst(mintInput());

describe("mintCst", () => {
  it("writes a JWT (EdDSA) whose claims follow scoped_token_claims.v1", () => {
    const { header, claims } = decode(token);
    expect(header).toEqual({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did });
    expect(validate("cst_claims", claims).ok).toBe(true);
    expect(claims).toEqual({
      token_version: "1",
      sub: agent.did,
      agent_did: agent.did,
      aud: ["clawea-gateway"],
      scope: ["clawea:approved_scope:" + SCOPE_HASH, "clawea:phase:apply", "clawea:run:run_42", "clawea:tenant:ten_acme", "model:invoke", "side_effect:*"],
      policy_hash_b64u: POLICY_HASH,
      mission_id: "mis_q4-report",
      token_scope_hash_b64u: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      jti: "cst_01",
      iat: T0,
      exp: T0 + 900,
    });
  });

  it("signs a standard Ed25519 JWS: node verifies it with the issuer's public JWK", () => {
    const [h, p, s] = token.split(".");
    const key = createPublicKey({ key: { ...publicJwk(controlPlane.did) }, format: "jwk" });
    expect(nodeVerify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(b64uDecode(s!)))).toBe(true);
    expect(privateJwk(controlPlane)).toMatchObject({ kty: "OKP", crv: "Ed25519", x: b64uEncode(controlPlane.publicKey) });
  });

  it("is deterministic, and the scope hash survives re-issuance", async () => {
    expect(await mintCst(mintInput())).toBe(token);
    const reissued = await mintCst(mintInput({ now: at(300), claims: { ...mintInput().claims, jti: "cst_02", exp: T0 + 1800 } }));
    expect(decode(reissued).claims["token_scope_hash_b64u"]).toBe(decode(token).claims["token_scope_hash_b64u"]);
  });

  it.each<[string, Partial<MintCstInput>]>([
    ["an apply token without a scope hash", { binding: { tenant_id: "ten_acme", phase: "apply" } }],
    ["a plan token with a scope hash", { binding: { tenant_id: "ten_acme", phase: "plan", approved_scope_hash_b64u: SCOPE_HASH } }],
    ["a tenant id with a colon", { binding: { tenant_id: "ten:acme" } }],
    ["a grant posing as a binding", { claims: { ...mintInput().claims, scope: ["clawea:tenant:ten_other"] } }],
    ["an expiry not after now", { claims: { ...mintInput().claims, exp: T0 } }],
    ["an empty jti", { claims: { ...mintInput().claims, jti: "" } }],
    ["claims the schema refuses", { claims: { ...mintInput().claims, owner_did: "not a did" } }],
    ["now that is not a date", { now: "soon" }],
  ])("refuses %s with CST_MALFORMED", async (_name, overrides) => {
    await expect(mintCst(mintInput(overrides))).rejects.toThrowError(expect.objectContaining({ code: "CST_MALFORMED" }) as ProtocolError);
  });
});

describe("verifyCst", () => {
  it("accepts a good token and returns claims, binding, grants and issuer", async () => {
    const result = await verifyCst(token, options());
    expect(result).toEqual({
      ok: true,
      claims: decode(token).claims,
      binding: applyBinding,
      grants: ["model:invoke", "side_effect:*"],
      issuer_did: controlPlane.did,
    });
  });

  it("asks about revocation with the jti, and only for otherwise valid tokens", async () => {
    const asked: string[] = [];
    const isRevoked = (jti: string) => {
      asked.push(jti);
      return Promise.resolve(false);
    };
    expect((await verifyCst(token, options({ isRevoked }))).ok).toBe(true);
    expect((await verifyCst(token, options({ isRevoked, audience: "other" }))).ok).toBe(false);
    expect(asked).toEqual(["cst_01"]);
  });

  it("accepts a plan-phase token bound to a tenant only, with a string audience", async () => {
    const plan = await mintCst(mintInput({ binding: { tenant_id: "ten_acme", phase: "plan" }, claims: { ...mintInput().claims, aud: "clawea-gateway", scope: ["model:invoke"] } }));
    const result = await verifyCst(plan, options({ expected: { tenant_id: "ten_acme" }, requiredScope: "model:invoke" }));
    expect(result.ok && result.binding).toEqual({ tenant_id: "ten_acme", phase: "plan" });
  });

  it("tolerates the configured clock skew", async () => {
    expect((await verifyCst(token, options({ now: at(905), clockSkewSeconds: 10 }))).ok).toBe(true);
    expect((await verifyCst(token, options({ now: at(-5), clockSkewSeconds: 10 }))).ok).toBe(true);
  });

  const [h, p, s] = token.split(".") as [string, string, string];
  const claims = decode(token).claims;
  const resign = (changes: Record<string, unknown>) => {
    const next = { ...claims, ...changes };
    return craft({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did }, { ...next, token_scope_hash_b64u: tokenScopeHash(next as never) });
  };
  const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);

  it.each<[string, () => Promise<string> | string, Partial<VerifyCstOptions>, string]>([
    ["expired", () => token, { now: at(900) }, "CST_EXPIRED"],
    ["long expired", () => token, { now: at(86_400) }, "CST_EXPIRED"],
    ["issued in the future", () => token, { now: at(-1) }, "CST_EXPIRED"],
    ["delegation expired", () => resign({ delegation_expires_at: T0 + 30 }), {}, "CST_EXPIRED"],
    ["forged signature", () => `${h}.${p}.${flip(s)}`, {}, "CST_SIGNATURE_INVALID"],
    ["payload changed after signing", () => `${h}.${b64uEncode(utf8(canonicalize({ ...claims, exp: T0 + 99_999 })))}.${s}`, {}, "CST_SIGNATURE_INVALID"],
    ["signed by another key under the trusted kid", () => craft({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did }, claims, stranger), {}, "CST_SIGNATURE_INVALID"],
    ["untrusted issuer", () => mintCst(mintInput({ signer: stranger })), {}, "CST_SIGNATURE_INVALID"],
    ["wrong audience", () => token, { audience: "clawea-control-plane" }, "CST_AUDIENCE_MISMATCH"],
    ["wrong tenant", () => token, { expected: { tenant_id: "ten_other" } }, "CST_BINDING_MISMATCH"],
    ["wrong agent", () => token, { expected: { agent_did: stranger.did } }, "CST_BINDING_MISMATCH"],
    ["wrong run", () => token, { expected: { run_id: "run_43" } }, "CST_BINDING_MISMATCH"],
    ["no run binding where one is expected", () => mintCst(mintInput({ binding: { tenant_id: "ten_acme" } })), { expected: { run_id: "run_42" } }, "CST_BINDING_MISMATCH"],
    ["wrong phase", () => token, { expected: { phase: "plan" } }, "CST_BINDING_MISMATCH"],
    ["plan changed after approval", () => token, { expected: { approved_scope_hash_b64u: POLICY_HASH } }, "CST_BINDING_MISMATCH"],
    ["another policy", () => token, { expected: { policy_hash_b64u: SCOPE_HASH } }, "CST_BINDING_MISMATCH"],
    ["another mission", () => token, { expected: { mission_id: "mis_other" } }, "CST_BINDING_MISMATCH"],
    ["a grant it does not have", () => mintCst(mintInput({ claims: { ...mintInput().claims, scope: ["model:invoke"] } })), {}, "CST_SCOPE_DENIED"],
    ["revoked", () => token, { isRevoked: (jti) => jti === "cst_01" }, "CST_REVOKED"],
    ["revoked (async)", () => token, { isRevoked: () => Promise.resolve(true) }, "CST_REVOKED"],
    ["revocation store down", () => token, { isRevoked: () => Promise.reject(new Error("redis down")) }, "DEPENDENCY_UNAVAILABLE"],
    ["no trusted issuers", () => token, { trustedIssuers: [] }, "DEPENDENCY_NOT_CONFIGURED"],
    ["no verification time", () => token, { now: "later" }, "DEPENDENCY_NOT_CONFIGURED"],
    ["not a JWS", () => "hello", {}, "CST_MALFORMED"],
    ["four segments", () => `${token}.x`, {}, "CST_MALFORMED"],
    ["padded base64", () => `${h}=.${p}.${s}`, {}, "CST_MALFORMED"],
    ["header is not JSON", () => `${b64uEncode(utf8("{"))}.${p}.${s}`, {}, "CST_MALFORMED"],
    ["alg none", () => craft({ alg: "none", typ: "JWT", kid: controlPlane.did }, claims), {}, "CST_MALFORMED"],
    ["alg HS256", () => craft({ alg: "HS256", typ: "JWT", kid: controlPlane.did }, claims), {}, "CST_MALFORMED"],
    ["extra header member", () => craft({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did, crit: ["exp"] }, claims), {}, "CST_MALFORMED"],
    ["kid is not a did:key", () => craft({ alg: "EdDSA", typ: "JWT", kid: "did:web:acme.example" }, claims), {}, "CST_MALFORMED"],
    ["claims failing the schema (an iss claim)", () => resign({ iss: controlPlane.did }), {}, "CST_MALFORMED"],
    ["claims failing the schema (no scope)", () => resign({ scope: [] }), {}, "CST_MALFORMED"],
    ["claims failing the schema (exp as text)", () => resign({ exp: String(T0 + 900) }), {}, "CST_MALFORMED"],
    ["claims that are not an object", () => craft({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did }, ["a"]), {}, "CST_MALFORMED"],
    ["no jti", () => resign({ jti: undefined }), {}, "CST_MALFORMED"],
    ["scope hash that does not match", () => craft({ alg: "EdDSA", typ: "JWT", kid: controlPlane.did }, { ...claims, mission_id: "mis_other" }), {}, "CST_MALFORMED"],
    ["no tenant binding", () => resign({ scope: ["model:invoke"] }), {}, "CST_MALFORMED"],
    ["two tenant bindings", () => resign({ scope: ["clawea:tenant:a", "clawea:tenant:b"] }), {}, "CST_MALFORMED"],
    ["unknown binding entry", () => resign({ scope: ["clawea:tenant:a", "clawea:admin:yes"] }), {}, "CST_MALFORMED"],
    ["apply binding without a scope hash", () => resign({ scope: ["clawea:tenant:a", "clawea:phase:apply"] }), {}, "CST_MALFORMED"],
  ])("%s: %s", async (_name, make, overrides, code) => {
    const result = await verifyCst(await make(), options(overrides));
    expect(result.ok ? "OK" : result.reason_code).toBe(code);
  });

  it("never throws, whatever it is given", async () => {
    for (const input of [undefined, 42, "", "a.b.c", "x".repeat(20_000), `${h}.${p}.`]) {
      const result = await verifyCst(input as string, options());
      expect(result.ok).toBe(false);
    }
  });
});

describe("binding convention", () => {
  it("splits scope into binding and grants", () => {
    expect(readBinding(["side_effect:*", "clawea:tenant:ten_a", "clawea:run:run_1", "model:invoke", "clawea:phase:plan"])).toEqual({
      binding: { tenant_id: "ten_a", run_id: "run_1", phase: "plan" },
      grants: ["model:invoke", "side_effect:*"],
    });
  });

  it("token_scope_hash_b64u covers authorisation claims in canonical set order, not iat/exp/jti", () => {
    const base = { token_version: "1" as const, sub: agent.did, aud: ["b", "a"], scope: ["y", "x"], jti: "1" };
    expect(tokenScopeHash(base)).toBe(tokenScopeHash({ ...base, aud: ["a", "b", "a"], scope: ["x", "y"], jti: "2" }));
    expect(tokenScopeHash({ ...base, aud: "a" })).not.toBe(tokenScopeHash(base));
    expect(tokenScopeHash({ ...base, mission_id: "m" })).not.toBe(tokenScopeHash(base));
  });
});
