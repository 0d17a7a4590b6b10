/**
 * Verifies an export bundle in the browser with the pure offline verifier: bytes in, verdict out, no
 * network. Trust anchors are the caller's (the platform's GET /v1/trust, or ones an auditor pins).
 */
import { verifyExportBundle, type ExportBundleDetails, type TrustAnchors, type VerificationResult } from "@clawea/verify";
import { BundleFileError, readBundleFile } from "./bundle-file.js";

export type BundleVerdict = VerificationResult<ExportBundleDetails>;

export async function verifyBundleBytes(bytes: Uint8Array, trust: TrustAnchors, now: Date): Promise<BundleVerdict> {
  let document: unknown;
  try {
    document = await readBundleFile(bytes);
  } catch (error) {
    if (!(error instanceof BundleFileError)) throw error;
    return { valid: false, reason_codes: ["INPUT_UNREADABLE"], findings: [{ code: "INPUT_UNREADABLE", path: "$", message: error.message }], details: null };
  }
  return verifyExportBundle(document, { trust, now: now.toISOString() });
}

/** Trust anchors typed or pasted by the auditor: `{allowed_signer_dids: [...], roles?: {role: [...]}}`. */
export function parseTrust(text: string): TrustAnchors | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "The trust anchors are not valid JSON." };
  }
  const record = value as { allowed_signer_dids?: unknown; roles?: unknown } | null;
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!record || typeof record !== "object" || !isStrings(record.allowed_signer_dids)) return { error: "The trust anchors need an allowed_signer_dids list of DIDs." };
  if (record.allowed_signer_dids.length === 0) return { error: "Pin at least one signer DID." };
  if (record.roles !== undefined && (typeof record.roles !== "object" || record.roles === null || !Object.values(record.roles).every(isStrings))) {
    return { error: "roles must map each role to a list of DIDs." };
  }
  return record.roles === undefined ? { allowed_signer_dids: record.allowed_signer_dids } : { allowed_signer_dids: record.allowed_signer_dids, roles: record.roles as TrustAnchors["roles"] & object };
}
