/** One signed envelope, checked in upstream's order: header, then schema, then hash, signature, expiry and trust. */
import { verifyEnvelope, type EnvelopeType, type ReasonCode, type SignedEnvelope } from "@clawea/protocol";
import { finding, joinPath, type Finding } from "./result.model.js";
import { schemaFindings, type SchemaKind } from "./schema.check.js";
import { isTrusted, type SignerRole, type VerifyContext } from "./trust.model.js";

// Failures that leave the envelope unreadable: nothing after them can be judged.
const HEADER_CODES: ReadonlySet<ReasonCode> = new Set([
  "MALFORMED_ENVELOPE",
  "UNKNOWN_ENVELOPE_VERSION",
  "UNKNOWN_ENVELOPE_TYPE",
  "UNKNOWN_HASH_ALGORITHM",
  "UNKNOWN_ALGORITHM",
]);

export interface EnvelopeSpec {
  type: EnvelopeType;
  /** Null when the enclosing document's schema already covered this envelope. */
  schema: SchemaKind | null;
  /** The role the signer acts in; `vouched` may trust a signer the anchors do not name. */
  role: SignerRole;
  vouched?: (signerDid: string, payloadHash: string) => boolean;
}

export interface EnvelopeOutcome<P> {
  findings: Finding[];
  /** Set once header and schema hold, so the payload can be read by its type even if crypto or trust failed. */
  envelope: SignedEnvelope<P> | null;
}

export function checkEnvelope<P>(value: unknown, spec: EnvelopeSpec, path: string, ctx: VerifyContext): EnvelopeOutcome<P> {
  const at = (sub: string): string => joinPath(path, sub);
  const crypto = verifyEnvelope<P>(value, { expectedType: spec.type });
  if (!crypto.ok && HEADER_CODES.has(crypto.code)) {
    return { findings: [finding(crypto.code, at(crypto.path), crypto.message)], envelope: null };
  }
  // Schema before crypto, as upstream does: a payload edited without re-signing is first a schema problem.
  const findings = spec.schema === null ? [] : schemaFindings(spec.schema, value, path);
  if (!crypto.ok) findings.push(finding(crypto.code, at(crypto.path), crypto.message));

  const envelope = value as SignedEnvelope<P>;
  if (envelope.expires_at !== undefined && ctx.nowMs > Date.parse(envelope.expires_at) + ctx.skewMs) {
    findings.push(finding("EXPIRED_TTL", at("expires_at"), `${spec.type} expired before the verification time`));
  }
  // A signer that is not a did:key was reported above; calling it untrusted too would only repeat it.
  if (crypto.ok || crypto.code !== "INVALID_DID_FORMAT") {
    const trusted =
      isTrusted(ctx.trust, spec.role, envelope.signer_did) ||
      (spec.vouched?.(envelope.signer_did, envelope.payload_hash_b64u) ?? false);
    if (!trusted) {
      findings.push(finding("SIGNER_NOT_TRUSTED", at("signer_did"), `${spec.type} signer is not a trusted ${spec.role} signer`));
    }
  }
  const schemaHeld = !findings.some((f) => f.code === "SCHEMA_VALIDATION_FAILED");
  return { findings, envelope: schemaHeld ? envelope : null };
}
