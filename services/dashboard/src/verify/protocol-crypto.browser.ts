/**
 * The browser build of `@clawea/protocol`'s one crypto module (`dist/crypto.js`), swapped in by the
 * Vite plugin in vite.config.ts. The protocol's verifier API is synchronous, so WebCrypto (async) cannot
 * stand in for node:crypto; the audited, synchronous @noble implementations can. Same exports, same
 * semantics: SHA-256 over bytes or UTF-8 text, RFC 8032 Ed25519 with strict (non-ZIP-215) verification.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return nobleSha256(bytesOf(data));
}

/** The base64url SHA-256 digest. */
export function sha256Base64url(data: Uint8Array | string): string {
  let binary = "";
  for (const byte of sha256(data)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** sha256(left || right): the Merkle node hash. */
export function sha256Pair(left: Uint8Array, right: Uint8Array): Uint8Array {
  return nobleSha256.create().update(left).update(right).digest();
}

export interface RawKeyPair {
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** 32-byte Ed25519 seed (RFC 8032 private key). */
  privateKey: Uint8Array;
}

export function ed25519Generate(): RawKeyPair {
  const privateKey = ed25519.utils.randomSecretKey();
  return { publicKey: ed25519.getPublicKey(privateKey), privateKey };
}

export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    // zip215: false is RFC 8032's strict rule set, which is what OpenSSL (node:crypto) applies.
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
