// The Clawsig signed envelope (SignedEnvelope<T>) and the field sets of upstream's envelope families.
import { Type, type ObjectOptions, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, Ed25519, HashAlgorithm, NonEmptyString, Sha256 } from "./common.schema.js";

/** Envelope fields as the schemas.clawbureau.org family writes them (gateway, proof bundle, attestations). */
export function envelopeFields<V extends string, E extends string, P extends TSchema>(version: V, envelopeType: E, payload: P) {
  return {
    envelope_version: Type.Literal(version),
    envelope_type: Type.Literal(envelopeType),
    payload,
    payload_hash_b64u: B64u,
    hash_algorithm: HashAlgorithm,
    signature_b64u: B64u,
    algorithm: Ed25519,
    signer_did: Did,
    issued_at: DateTime,
  };
}

/**
 * Envelope fields as the older schemas.clawbureau.com receipts write them (tool v1, side-effect, human
 * approval): digests and signer only need to be non-empty, and SHA-256 is the only hash algorithm.
 */
export function legacyEnvelopeFields<E extends string, P extends TSchema>(envelopeType: E, payload: P) {
  return {
    envelope_version: Type.Literal("1"),
    envelope_type: Type.Literal(envelopeType),
    payload,
    payload_hash_b64u: NonEmptyString,
    hash_algorithm: Sha256,
    signature_b64u: NonEmptyString,
    algorithm: Ed25519,
    signer_did: NonEmptyString,
    issued_at: DateTime,
    expires_at: Type.Optional(DateTime),
  };
}

/** `SignedEnvelope<T>` of a given `envelope_type` around `payload`, as gateway receipts and proof bundles use it. */
export function SignedEnvelope<E extends string, P extends TSchema>(envelopeType: E, payload: P, options: ObjectOptions = {}) {
  return Type.Object(
    { ...envelopeFields("1", envelopeType, payload), expires_at: Type.Optional(DateTime) },
    { ...options, ...closed },
  );
}

export type SignedEnvelope<E extends string, P> = Static<ReturnType<typeof SignedEnvelope<E, TUnsafe<P>>>>;
