/**
 * Clawsig export bundles: a manifest of content-addressed artifacts (each file's bytes are the
 * artifact's JCS form), a bundle hash over everything else, and the issuer's signature over that hash.
 * The writer and the verifier both derive the manifest here, so they cannot drift apart.
 */
import type { KeyPair } from "./did-key.js";
import { signBytes } from "./did-key.js";
import { b64uEncode, utf8 } from "./encoding.js";
import { HASH_ALGORITHM, SIGNATURE_ALGORITHM, isRfc3339 } from "./envelope.js";
import { ProtocolError } from "./errors.js";
import { hashJcsB64u, sha256B64u } from "./hash.js";
import { canonicalCopy, canonicalize } from "./jcs.js";

/** Attestation lists an export bundle may carry besides its proof bundle, in manifest order. */
export const EXPORT_ATTESTATION_LISTS = [
  "execution_attestation_envelopes",
  "derivation_attestation_envelopes",
  "audit_result_attestation_envelopes",
] as const;

export interface ExportArtifacts {
  proof_bundle_envelope: unknown;
  execution_attestation_envelopes?: unknown[];
  derivation_attestation_envelopes?: unknown[];
  audit_result_attestation_envelopes?: unknown[];
}

export interface ManifestEntry {
  path: string;
  sha256_b64u: string;
  content_type: "application/json";
  size_bytes: number;
}

/** The file an artifact becomes inside the bundle (and inside its .tar.gz form). */
export function artifactFile(artifact: unknown): Uint8Array {
  return utf8(canonicalize(artifact));
}

/** The manifest an honest exporter writes for `artifacts`: one entry per artifact, paths as upstream names them. */
export function exportManifestEntries(artifacts: ExportArtifacts): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  const add = (path: string, artifact: unknown): void => {
    const bytes = artifactFile(artifact);
    entries.push({ path, sha256_b64u: sha256B64u(bytes), content_type: "application/json", size_bytes: bytes.length });
  };
  add("artifacts/proof_bundle_envelope.json", artifacts.proof_bundle_envelope);
  for (const list of EXPORT_ATTESTATION_LISTS) {
    (artifacts[list] ?? []).forEach((artifact, i) => add(`artifacts/${list}/${i}.json`, artifact));
  }
  return entries;
}

const SIGNATURE_FIELDS = new Set(["bundle_hash_b64u", "hash_algorithm", "signature_b64u", "algorithm"]);

/** SHA-256 of the JCS of the bundle without its hash, signature and algorithm fields. */
export function exportBundleHash(bundle: Record<string, unknown>): string {
  const view = Object.fromEntries(Object.entries(bundle).filter(([key]) => !SIGNATURE_FIELDS.has(key)));
  return hashJcsB64u(view);
}

export interface SignExportBundleInput {
  exportId: string;
  artifacts: ExportArtifacts;
  issuer: KeyPair;
  /** RFC 3339; the caller owns the clock. */
  createdAt: string;
  issuedAt: string;
  expiresAt?: string;
  metadata?: Record<string, unknown>;
}

export interface ExportBundle {
  export_version: "1";
  export_id: string;
  created_at: string;
  issuer_did: string;
  manifest: { manifest_version: "1"; generated_at: string; entries: ManifestEntry[] };
  artifacts: ExportArtifacts;
  issued_at: string;
  expires_at?: string;
  metadata?: Record<string, unknown>;
  bundle_hash_b64u: string;
  hash_algorithm: typeof HASH_ALGORITHM;
  signature_b64u: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
}

export function signExportBundle(input: SignExportBundleInput): ExportBundle {
  for (const [field, value] of [["created_at", input.createdAt], ["issued_at", input.issuedAt], ["expires_at", input.expiresAt]] as const) {
    if (value !== undefined && !isRfc3339(value)) throw new ProtocolError("MALFORMED_ENVELOPE", `${field} must be RFC 3339`, field);
  }
  // Empty attestation lists are left out, as upstream writes them.
  const artifacts: ExportArtifacts = { proof_bundle_envelope: input.artifacts.proof_bundle_envelope };
  for (const list of EXPORT_ATTESTATION_LISTS) {
    const items = input.artifacts[list];
    if (items && items.length > 0) artifacts[list] = items;
  }
  const body: Omit<ExportBundle, "bundle_hash_b64u" | "hash_algorithm" | "signature_b64u" | "algorithm"> = {
    export_version: "1",
    export_id: input.exportId,
    created_at: input.createdAt,
    issuer_did: input.issuer.did,
    manifest: { manifest_version: "1", generated_at: input.createdAt, entries: exportManifestEntries(artifacts) },
    artifacts: canonicalCopy(artifacts),
    issued_at: input.issuedAt,
  };
  if (input.expiresAt !== undefined) body.expires_at = input.expiresAt;
  if (input.metadata !== undefined) body.metadata = canonicalCopy(input.metadata);
  const bundleHash = exportBundleHash(body as unknown as Record<string, unknown>);
  return {
    ...body,
    bundle_hash_b64u: bundleHash,
    hash_algorithm: HASH_ALGORITHM,
    signature_b64u: b64uEncode(signBytes(input.issuer.privateKey, utf8(bundleHash))),
    algorithm: SIGNATURE_ALGORITHM,
  };
}

/**
 * The files of an export's archive form (`.tar.gz`): `export_bundle.json` (the bundle's JCS bytes), each
 * manifest entry's artifact at its path, and the signed metadata's parts (approval receipts, log
 * inclusion proofs, URM, WPC) as files of their own. The exporter writes exactly these; a verifier of
 * the archive expects exactly these, byte for byte.
 */
export function exportArchiveFiles(bundle: ExportBundle): { path: string; bytes: Uint8Array }[] {
  const files: { path: string; bytes: Uint8Array }[] = [{ path: "export_bundle.json", bytes: utf8(canonicalize(bundle)) }];
  files.push({ path: "artifacts/proof_bundle_envelope.json", bytes: artifactFile(bundle.artifacts.proof_bundle_envelope) });
  for (const list of EXPORT_ATTESTATION_LISTS) {
    (bundle.artifacts[list] ?? []).forEach((artifact, i) => files.push({ path: `artifacts/${list}/${i}.json`, bytes: artifactFile(artifact) }));
  }
  const metadata = (bundle.metadata ?? {}) as Record<string, unknown>;
  const list = (key: string): unknown[] => (Array.isArray(metadata[key]) ? (metadata[key] as unknown[]) : []);
  list("human_approval_receipt_envelopes").forEach((receipt, i) => files.push({ path: `approvals/human_approval_receipt_${i}.json`, bytes: artifactFile(receipt) }));
  list("log_inclusion_proofs").forEach((proof, i) => files.push({ path: `log/inclusion_proof_${i}.json`, bytes: artifactFile(proof) }));
  if (metadata["urm"] !== undefined) files.push({ path: "urm.json", bytes: artifactFile(metadata["urm"]) });
  if (metadata["wpc"] !== undefined) files.push({ path: "wpc.json", bytes: artifactFile(metadata["wpc"]) });
  return files;
}
