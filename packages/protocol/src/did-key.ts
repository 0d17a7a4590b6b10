/** Ed25519 keys named as did:key (multibase base58btc of multicodec 0xed01 + 32-byte key). */
import { ed25519Generate, ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from "./crypto.js";
import { base58btcDecode, base58btcEncode } from "./encoding.js";
import { ProtocolError } from "./errors.js";

const DID_KEY_PREFIX = "did:key:z";
const ED25519_MULTICODEC = Uint8Array.from([0xed, 0x01]);

export interface KeyPair {
  did: string;
  publicKey: Uint8Array;
  /** The 32-byte seed; keep it out of logs and sandboxes. */
  privateKey: Uint8Array;
}

export function didFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new ProtocolError("INVALID_DID_FORMAT", "an Ed25519 public key has 32 bytes");
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_MULTICODEC, 0);
  bytes.set(publicKey, 2);
  return DID_KEY_PREFIX + base58btcEncode(bytes);
}

/** The Ed25519 public key inside a did:key; INVALID_DID_FORMAT for anything else (other methods, other key types). */
export function publicKeyFromDid(did: string): Uint8Array {
  if (typeof did !== "string" || !did.startsWith(DID_KEY_PREFIX)) {
    throw new ProtocolError("INVALID_DID_FORMAT", "expected did:key:z…");
  }
  let bytes: Uint8Array;
  try {
    bytes = base58btcDecode(did.slice(DID_KEY_PREFIX.length));
  } catch {
    throw new ProtocolError("INVALID_DID_FORMAT", "did:key is not base58btc");
  }
  if (bytes.length !== 34 || bytes[0] !== ED25519_MULTICODEC[0] || bytes[1] !== ED25519_MULTICODEC[1]) {
    throw new ProtocolError("INVALID_DID_FORMAT", "did:key does not hold an Ed25519 public key");
  }
  return bytes.slice(2);
}

export function isDidKey(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    publicKeyFromDid(value);
    return true;
  } catch {
    return false;
  }
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = ed25519Generate();
  return { did: didFromPublicKey(publicKey), publicKey, privateKey };
}

export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new ProtocolError("MALFORMED_KEY", "an Ed25519 seed has 32 bytes");
  const privateKey = Uint8Array.from(seed);
  const publicKey = ed25519PublicFromSeed(privateKey);
  return { did: didFromPublicKey(publicKey), publicKey, privateKey };
}

export function signBytes(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519Sign(privateKey, message);
}

export function verifyBytes(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return ed25519Verify(publicKey, message, signature);
}
