/** Compact JWS with EdDSA over Ed25519 (RFC 7515, RFC 8037) through jose, behind a seam tests can replace. */
import { CompactSign, compactVerify, importJWK } from "jose";
import { b64uEncode, publicKeyFromDid, type KeyPair } from "@clawea/protocol";

export interface CstHeader {
  readonly alg: "EdDSA";
  readonly typ: "JWT";
  /** The issuer's did:key: the claims schema has no `iss`, so the header names the signer. */
  readonly kid: string;
}

/** An Ed25519 key as a JWK (RFC 8037): `x` the public key, `d` the 32-byte seed, both base64url. */
export interface Ed25519Jwk {
  readonly kty: "OKP";
  readonly crv: "Ed25519";
  readonly x: string;
  readonly d?: string;
}

export interface CompactJwsEngine {
  /** `payload` is signed as given; the engine serialises only the protected header. */
  sign(header: CstHeader, payload: Uint8Array, privateKey: Ed25519Jwk): Promise<string>;
  /** Whether the token's signature verifies under the key; false (never a throw) for anything else. */
  verify(token: string, publicKey: Ed25519Jwk): Promise<boolean>;
}

export function privateJwk(keyPair: KeyPair): Ed25519Jwk {
  return { kty: "OKP", crv: "Ed25519", x: b64uEncode(keyPair.publicKey), d: b64uEncode(keyPair.privateKey) };
}

/** The public JWK inside a did:key; throws INVALID_DID_FORMAT (ProtocolError) for any other DID. */
export function publicJwk(did: string): Ed25519Jwk {
  return { kty: "OKP", crv: "Ed25519", x: b64uEncode(publicKeyFromDid(did)) };
}

/** The engine on jose (EdDSA over Ed25519). */
export const joseJws: CompactJwsEngine = {
  async sign(header, payload, privateKey) {
    if (privateKey.d === undefined) throw new Error("signing needs the private JWK (d)");
    return new CompactSign(payload).setProtectedHeader({ ...header }).sign(await importJWK(privateKey, "EdDSA"));
  },
  async verify(token, publicKey) {
    try {
      await compactVerify(token, await importJWK(publicKey, "EdDSA"), { algorithms: ["EdDSA"] });
      return true;
    } catch {
      return false;
    }
  },
};
