import { describe, expect, it } from "vitest";
import { b64uDecode, base58btcDecode, base58btcEncode } from "./encoding.js";
import { didFromPublicKey, generateKeyPair, isDidKey, keyPairFromSeed, publicKeyFromDid, signBytes, verifyBytes } from "./did-key.js";
import { ProtocolError } from "./errors.js";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("did:key (Ed25519)", () => {
  // Published DID documents (ACA-Py's did tests; the DWN interop mock client's key) pair each did:key
  // with its publicKeyBase58.
  it.each([
    ["did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th", "8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K"],
    ["did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR", "HrBXe7XnjMbscM1roSDTSMCcLNraetDQM9wSVjnzDxn3"],
  ])("decodes %s to its published key", (did, publicKeyBase58) => {
    expect(base58btcEncode(publicKeyFromDid(did))).toBe(publicKeyBase58);
    expect(didFromPublicKey(base58btcDecode(publicKeyBase58))).toBe(did);
  });

  it("derives the published did:key from a published private key", () => {
    const secret = base58btcDecode("3FFXDEFub6DPDX9CEZugQKAFikm1rfnNFwdycUGksAWhrs6BNca6USdttMcyx6oAdKmtnFBQijgisU58r26JfXJF");
    expect(keyPairFromSeed(secret.subarray(0, 32)).did).toBe("did:key:z6MkwJSaEMnE4u6LiqrZV1BJHSkc9x8S4mTm3ArNL1m19BZR");
  });

  it.each([
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b",
    "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
    "did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45Eahxy3m",
    "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd",
  ])("round-trips the published %s", (did) => {
    expect(didFromPublicKey(publicKeyFromDid(did))).toBe(did);
  });

  it("derives keys and signatures of RFC 8032 test 1 and 2", () => {
    const one = keyPairFromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    expect(Buffer.from(one.publicKey).toString("hex")).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    const sigOne = signBytes(one.privateKey, new Uint8Array());
    expect(Buffer.from(sigOne).toString("hex")).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
    const two = keyPairFromSeed(hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    expect(Buffer.from(two.publicKey).toString("hex")).toBe("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    const sigTwo = signBytes(two.privateKey, hex("72"));
    expect(Buffer.from(sigTwo).toString("hex")).toBe(
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    );
    expect(verifyBytes(two.publicKey, hex("72"), sigTwo)).toBe(true);
    expect(verifyBytes(two.publicKey, hex("73"), sigTwo)).toBe(false);
    expect(publicKeyFromDid(one.did)).toEqual(one.publicKey);
  });

  it("generates fresh key pairs whose DID names the key", () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(a.did).not.toBe(b.did);
    expect(a.did).toMatch(/^did:key:z6Mk/);
    const msg = new TextEncoder().encode("m");
    expect(verifyBytes(publicKeyFromDid(a.did), msg, signBytes(a.privateKey, msg))).toBe(true);
    expect(verifyBytes(b.publicKey, msg, signBytes(a.privateKey, msg))).toBe(false);
  });

  it.each([
    "did:web:example.com",
    "did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0",
    // secp256k1 (multicodec 0xe7) from the did:key spec: a real did:key, not an Ed25519 one.
    "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
    "did:key:z",
    // From the did:key test suite: the did:key form, but too short / too long for an Ed25519 key.
    "did:key:zTjsVPtY",
    "did:key:z6MkA9MEcFWsoUVqj2zX6LACFaikLQ28i9WAsJnURDS3HLGKSkUbwUbiLH22ohgZ2BwgpQ6qC3VBTNV3pLhYDTVgR",
  ])("rejects %s with INVALID_DID_FORMAT", (did) => {
    expect(isDidKey(did)).toBe(false);
    expect(() => publicKeyFromDid(did)).toThrow(ProtocolError);
  });

  it("rejects malformed key material", () => {
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(ProtocolError);
    expect(() => didFromPublicKey(b64uDecode("AAAA"))).toThrow(ProtocolError);
    expect(verifyBytes(new Uint8Array(32), new Uint8Array(), new Uint8Array(63))).toBe(false);
  });
});
