import { describe, expect, it } from "vitest";
import { generateKeyPair, keyPairFromSeed, signBytes } from "./did-key.js";
import { b64uEncode, utf8 } from "./encoding.js";
import { ENVELOPE_TYPES, payloadHashCandidates, signEnvelope, verifyEnvelope, type SignedEnvelope } from "./envelope.js";
import { canonicalize } from "./jcs.js";
import { sha256B64u } from "./hash.js";

const signer = keyPairFromSeed(new Uint8Array(32).fill(7));
const issuedAt = "2026-11-25T10:00:00.000Z";

function receipt(): SignedEnvelope {
  return signEnvelope({
    envelopeType: "gateway_receipt",
    payload: {
      receipt_version: "1",
      receipt_id: "rcpt_1",
      model: "gpt-test",
      tokens_input: 10,
      tokens_output: 20,
      binding: { run_id: "run_1", nonce: "n" },
      tags: ["a", "b"],
      streamed: true,
      cost: null,
    },
    signer,
    issuedAt,
  }) as SignedEnvelope;
}

/** Every path to a leaf value of a JSON document, for mutation loops. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function mutate(doc: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const old = target[last];
  target[last] =
    typeof old === "string" ? (old.length > 0 ? old.slice(0, -1) + (old.endsWith("A") ? "B" : "A") : "x")
    : typeof old === "number" ? old + 1
    : typeof old === "boolean" ? !old
    : "mutated";
  return copy;
}

describe("signed envelopes", () => {
  it("sign then verify, with the payload hash over JCS", () => {
    const envelope = receipt();
    expect(envelope.payload_hash_b64u).toBe(sha256B64u(canonicalize(envelope.payload)));
    // Emitted in canonical order, so upstream's document-order hash agrees.
    expect(payloadHashCandidates(envelope.payload)).toEqual([envelope.payload_hash_b64u]);
    const check = verifyEnvelope(envelope, { expectedType: "gateway_receipt" });
    expect(check.ok).toBe(true);
  });

  it("signs every envelope type", () => {
    for (const envelopeType of ENVELOPE_TYPES) {
      const envelope = signEnvelope({ envelopeType, payload: { x: 1 }, signer, issuedAt });
      expect(verifyEnvelope(envelope, { expectedType: envelopeType }).ok).toBe(true);
    }
  });

  it("fails on every single-field mutation of the envelope or its payload", () => {
    const envelope = receipt();
    const paths = leafPaths(envelope);
    expect(paths.length).toBeGreaterThan(15);
    for (const path of paths) {
      const check = verifyEnvelope(mutate(envelope, path));
      expect(check.ok, `mutating ${path.join(".")}`).toBe(false);
    }
  });

  it("fails on a removed field, an added payload field and a foreign signer", () => {
    const envelope = receipt();
    for (const field of Object.keys(envelope)) {
      const copy: Record<string, unknown> = { ...envelope };
      delete copy[field];
      const check = verifyEnvelope(copy);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.code).toBe("MALFORMED_ENVELOPE");
    }
    const extra = { ...envelope, payload: { ...(envelope.payload as object), injected: true } };
    const extraCheck = verifyEnvelope(extra);
    expect(!extraCheck.ok && extraCheck.code).toBe("HASH_MISMATCH");
    const other = { ...envelope, signer_did: generateKeyPair().did };
    const otherCheck = verifyEnvelope(other);
    expect(!otherCheck.ok && otherCheck.code).toBe("SIGNATURE_INVALID");
  });

  it.each([
    ["envelope_version", "2", "UNKNOWN_ENVELOPE_VERSION"],
    ["envelope_type", "made_up", "UNKNOWN_ENVELOPE_TYPE"],
    ["hash_algorithm", "BLAKE3", "UNKNOWN_HASH_ALGORITHM"],
    ["algorithm", "ES256", "UNKNOWN_ALGORITHM"],
    ["signer_did", "did:web:example.com", "INVALID_DID_FORMAT"],
    ["issued_at", "yesterday", "MALFORMED_ENVELOPE"],
    ["signature_b64u", "not base64!", "SIGNATURE_INVALID"],
  ])("fails closed on %s = %s with %s", (field, value, code) => {
    const check = verifyEnvelope({ ...receipt(), [field]: value });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.code).toBe(code);
  });

  it("rejects an envelope of another type than expected", () => {
    const check = verifyEnvelope(receipt(), { expectedType: "proof_bundle" });
    expect(!check.ok && check.code).toBe("UNKNOWN_ENVELOPE_TYPE");
  });

  it("accepts the upstream document-order payload hash", () => {
    // Keys deliberately out of canonical order, hashed the way the reference SDK does.
    const payload = { z: 1, a: 2 };
    const hash = sha256B64u(JSON.stringify(payload));
    expect(hash).not.toBe(sha256B64u(canonicalize(payload)));
    const envelope = {
      ...signEnvelope({ envelopeType: "tool_receipt", payload: {}, signer, issuedAt }),
      payload,
      payload_hash_b64u: hash,
      signature_b64u: b64uEncode(signBytes(signer.privateKey, utf8(hash))),
    };
    expect(verifyEnvelope(envelope).ok).toBe(true);
    // Any other serialisation (here: pretty-printed) is not accepted.
    const pretty = sha256B64u(JSON.stringify(payload, null, 1));
    const prettyEnvelope = { ...envelope, payload_hash_b64u: pretty, signature_b64u: b64uEncode(signBytes(signer.privateKey, utf8(pretty))) };
    expect(verifyEnvelope(prettyEnvelope).ok).toBe(false);
  });

  it("refuses to sign with a mismatched key pair or a bad timestamp", () => {
    const other = generateKeyPair();
    expect(() => signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer: { ...signer, did: other.did }, issuedAt })).toThrow();
    expect(() => signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer, issuedAt: "now" })).toThrow();
  });

  it("checks a signer it has used before again once its DID or key changes", () => {
    const mutable = { ...generateKeyPair() };
    signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer: mutable, issuedAt });
    mutable.did = generateKeyPair().did;
    expect(() => signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer: mutable, issuedAt })).toThrow(/does not name its public key/);
    const swapped = { ...generateKeyPair() };
    signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer: swapped, issuedAt });
    swapped.publicKey = generateKeyPair().publicKey;
    expect(() => signEnvelope({ envelopeType: "proof_bundle", payload: {}, signer: swapped, issuedAt })).toThrow(/does not name its public key/);
  });
});
