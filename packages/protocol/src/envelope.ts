/** Clawsig signed envelopes: Ed25519 over the base64url SHA-256 of the canonical payload. */
import { b64uDecode, b64uEncode, utf8 } from "./encoding.js";
import { didFromPublicKey, publicKeyFromDid, signBytes, verifyBytes, type KeyPair } from "./did-key.js";
import { ProtocolError } from "./errors.js";
import { sha256B64u } from "./hash.js";
import { canonicalize } from "./jcs.js";
import type { ReasonCode } from "./reason-codes.js";

/** Every envelope type the Clawsig formats define; anything else fails closed. */
export const ENVELOPE_TYPES = [
  "gateway_receipt",
  "tool_receipt",
  "side_effect_receipt",
  "human_approval_receipt",
  "web_receipt",
  "delegation_receipt",
  "vir_receipt",
  "proof_bundle",
  "execution_attestation",
  "derivation_attestation",
  "audit_result_attestation",
  "coverage_attestation",
  "binary_semantic_evidence",
  "aggregate_bundle",
  "work_policy_contract",
  "confidential_work_contract",
  "policy_bundle",
] as const;
export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];

export const ENVELOPE_VERSION = "1";
export const HASH_ALGORITHM = "SHA-256";
export const SIGNATURE_ALGORITHM = "Ed25519";

export interface SignedEnvelope<P = unknown, T extends EnvelopeType = EnvelopeType> {
  envelope_version: typeof ENVELOPE_VERSION;
  envelope_type: T;
  payload: P;
  payload_hash_b64u: string;
  hash_algorithm: typeof HASH_ALGORITHM;
  signature_b64u: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  signer_did: string;
  issued_at: string;
  expires_at?: string;
}

const REQUIRED_FIELDS = [
  "envelope_version",
  "envelope_type",
  "payload",
  "payload_hash_b64u",
  "hash_algorithm",
  "signature_b64u",
  "algorithm",
  "signer_did",
  "issued_at",
] as const;

// RFC 3339 date-time, the `format: date-time` of the schemas.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function isRfc3339(value: unknown): value is string {
  return typeof value === "string" && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

export interface SignEnvelopeInput<P, T extends EnvelopeType> {
  envelopeType: T;
  payload: P;
  signer: KeyPair;
  /** RFC 3339 time of signing; the caller owns the clock. */
  issuedAt: string;
  expiresAt?: string;
}

/**
 * Signs `payload` as an envelope of `envelopeType`. The payload is re-emitted with its keys in canonical
 * order, so the document-order hash upstream tools compute equals our JCS hash.
 */
// A long-lived signer (the gateway signs every model call) is checked once, not base58-encoded per signature.
const checkedSigners = new WeakMap<KeyPair, { publicKey: Uint8Array; did: string }>();

function assertSignerNamesItsKey(signer: KeyPair): void {
  const checked = checkedSigners.get(signer);
  if (checked && checked.publicKey === signer.publicKey && checked.did === signer.did) return;
  if (didFromPublicKey(signer.publicKey) !== signer.did) throw new ProtocolError("MALFORMED_KEY", "signer DID does not name its public key");
  checkedSigners.set(signer, { publicKey: signer.publicKey, did: signer.did });
}

export function signEnvelope<P, T extends EnvelopeType>(input: SignEnvelopeInput<P, T>): SignedEnvelope<P, T> {
  if (!isRfc3339(input.issuedAt)) throw new ProtocolError("MALFORMED_ENVELOPE", "issuedAt must be RFC 3339", "issued_at");
  assertSignerNamesItsKey(input.signer);
  // One canonical text serves both: the payload kept is its parse (keys in canonical order), and the
  // canonical text of that parse is the same text again.
  const canonical = canonicalize(input.payload);
  const payload = JSON.parse(canonical) as typeof input.payload;
  const payloadHash = sha256B64u(canonical);
  const envelope: SignedEnvelope<P, T> = {
    envelope_version: ENVELOPE_VERSION,
    envelope_type: input.envelopeType,
    payload,
    payload_hash_b64u: payloadHash,
    hash_algorithm: HASH_ALGORITHM,
    signature_b64u: b64uEncode(signBytes(input.signer.privateKey, utf8(payloadHash))),
    algorithm: SIGNATURE_ALGORITHM,
    signer_did: input.signer.did,
    issued_at: input.issuedAt,
  };
  if (input.expiresAt !== undefined) envelope.expires_at = input.expiresAt;
  return envelope;
}

export type EnvelopeCheck<P = unknown> =
  | { ok: true; envelope: SignedEnvelope<P> }
  | { ok: false; code: ReasonCode; path: string; message: string };

function reject(code: ReasonCode, path: string, message: string): EnvelopeCheck<never> {
  return { ok: false, code, path, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The payload hashes an envelope may carry. Ours is JCS; the upstream reference tools hash
 * `JSON.stringify(payload)` in document order, and the published vectors only match that form.
 * Both are functions of the parsed payload, so accepting either binds the same content.
 */
export function payloadHashCandidates(payload: unknown): string[] {
  const jcs = sha256B64u(canonicalize(payload));
  const documentOrder = sha256B64u(JSON.stringify(payload));
  return jcs === documentOrder ? [jcs] : [jcs, documentOrder];
}

/** `payloadHashCandidates(payload).includes(hash)`, hashing the second form only when the first misses. */
export function payloadHashMatches(payload: unknown, hash: string): boolean {
  return sha256B64u(canonicalize(payload)) === hash || sha256B64u(JSON.stringify(payload)) === hash;
}

export interface VerifyEnvelopeOptions {
  /** When set, any other envelope type fails with UNKNOWN_ENVELOPE_TYPE. */
  expectedType?: EnvelopeType;
}

/**
 * Checks structure, version, algorithms, payload hash and signature: everything but trust, which
 * depends on the role the signer plays and belongs to the verifier.
 */
export function verifyEnvelope<P = unknown>(input: unknown, options: VerifyEnvelopeOptions = {}): EnvelopeCheck<P> {
  if (!isRecord(input)) return reject("MALFORMED_ENVELOPE", "$", "an envelope is a JSON object");
  for (const field of REQUIRED_FIELDS) {
    if (!(field in input)) return reject("MALFORMED_ENVELOPE", field, `missing ${field}`);
  }
  for (const field of REQUIRED_FIELDS) {
    if (field !== "payload" && typeof input[field] !== "string") {
      return reject("MALFORMED_ENVELOPE", field, `${field} must be a string`);
    }
  }
  if (!isRecord(input.payload)) return reject("MALFORMED_ENVELOPE", "payload", "payload must be an object");
  if (input.envelope_version !== ENVELOPE_VERSION) {
    return reject("UNKNOWN_ENVELOPE_VERSION", "envelope_version", `unknown envelope version ${String(input.envelope_version)}`);
  }
  const type = input.envelope_type as string;
  if (!(ENVELOPE_TYPES as readonly string[]).includes(type) || (options.expectedType && type !== options.expectedType)) {
    return reject("UNKNOWN_ENVELOPE_TYPE", "envelope_type", `unexpected envelope type ${type}`);
  }
  if (input.hash_algorithm !== HASH_ALGORITHM) {
    return reject("UNKNOWN_HASH_ALGORITHM", "hash_algorithm", `unknown hash algorithm ${String(input.hash_algorithm)}`);
  }
  if (input.algorithm !== SIGNATURE_ALGORITHM) {
    return reject("UNKNOWN_ALGORITHM", "algorithm", `unknown signature algorithm ${String(input.algorithm)}`);
  }
  if (!isRfc3339(input.issued_at)) return reject("MALFORMED_ENVELOPE", "issued_at", "issued_at must be RFC 3339");
  if ("expires_at" in input && !isRfc3339(input.expires_at)) {
    return reject("MALFORMED_ENVELOPE", "expires_at", "expires_at must be RFC 3339");
  }
  const payloadHash = input.payload_hash_b64u as string;
  let matches: boolean;
  try {
    matches = payloadHashMatches(input.payload, payloadHash);
  } catch (error) {
    const code = error instanceof ProtocolError ? error.code : "MALFORMED_ENVELOPE";
    return reject(code, "payload", "payload is not canonicalisable JSON");
  }
  if (!matches) {
    return reject("HASH_MISMATCH", "payload_hash_b64u", "payload_hash_b64u does not match the payload");
  }
  // The hash comes first, as upstream orders it: an envelope whose payload and signer were both
  // altered reports the payload.
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDid(input.signer_did as string);
  } catch {
    return reject("INVALID_DID_FORMAT", "signer_did", "signer_did must be an Ed25519 did:key");
  }
  let signature: Uint8Array;
  try {
    signature = b64uDecode(input.signature_b64u as string);
  } catch {
    return reject("SIGNATURE_INVALID", "signature_b64u", "signature_b64u is not base64url");
  }
  if (!verifyBytes(publicKey, utf8(payloadHash), signature)) {
    return reject("SIGNATURE_INVALID", "signature_b64u", "signature does not verify under signer_did");
  }
  return { ok: true, envelope: input as unknown as SignedEnvelope<P> };
}
