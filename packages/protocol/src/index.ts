/** @clawea/protocol: the pure Clawsig core. No I/O, no clock, no env. */
export { REASON_CODES, ReasonError, isReasonCode, type ReasonCode } from "./reason-codes.js";
export { ProtocolError } from "./errors.js";
export { b64uDecode, b64uEncode, base58btcDecode, base58btcEncode, isB64u, utf8 } from "./encoding.js";
export { canonicalCopy, canonicalize, type JsonValue } from "./jcs.js";
export { hashJcsB64u, sha256, sha256B64u } from "./hash.js";
export {
  didFromPublicKey,
  generateKeyPair,
  isDidKey,
  keyPairFromSeed,
  publicKeyFromDid,
  signBytes,
  verifyBytes,
  type KeyPair,
} from "./did-key.js";
export {
  ENVELOPE_TYPES,
  ENVELOPE_VERSION,
  HASH_ALGORITHM,
  SIGNATURE_ALGORITHM,
  isRfc3339,
  payloadHashCandidates,
  payloadHashMatches,
  signEnvelope,
  verifyEnvelope,
  type EnvelopeCheck,
  type EnvelopeType,
  type SignEnvelopeInput,
  type SignedEnvelope,
  type VerifyEnvelopeOptions,
} from "./envelope.js";
export { computeEventHash, nextEvent, verifyEventChain, type ChainCheck, type ChainEvent, type EventHeader, type NewEvent } from "./event-chain.js";
export {
  MerkleTree,
  consistencyProof,
  inclusionProof,
  rootHash,
  subtreeHash,
  treeHeight,
  verifyConsistencyProof,
  verifyInclusionProof,
  type ConsistencyProofInput,
  type InclusionProofInput,
  type MerkleNodeReader,
} from "./merkle.js";
export {
  EXPORT_ATTESTATION_LISTS,
  artifactFile,
  exportArchiveFiles,
  exportBundleHash,
  exportManifestEntries,
  signExportBundle,
  type ExportArtifacts,
  type ExportBundle,
  type ManifestEntry,
  type SignExportBundleInput,
} from "./export-bundle.js";
export { MERKLE_ALGORITHM, buildLogInclusionProof, signLogRoot, type BuildInclusionProofInput, type LogInclusionProof } from "./log-proof.js";
