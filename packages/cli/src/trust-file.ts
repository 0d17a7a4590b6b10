/** Reads trust anchors from `--trust DID` flags and `--trust-file F` documents. */
import { isDidKey } from "@clawea/protocol";
import { SIGNER_ROLES, type SignerRole, type TrustAnchors } from "@clawea/verify";
import { UsageError } from "./io.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function didList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((d) => typeof d === "string" && isDidKey(d))) {
    throw new UsageError("TRUST_FILE_INVALID", `${where} must be a list of Ed25519 did:key strings`);
  }
  return value as string[];
}

/** Upstream's trust-config.json names allowlists per artifact; these are the roles they stand for. */
const UPSTREAM_ALLOWLIST_ROLES: Record<string, SignerRole> = {
  gateway_receipt_signer_dids: "gateway",
  derivation_attestation_signer_dids: "derivation",
  execution_attestation_signer_dids: "data_plane",
  audit_result_attestation_signer_dids: "audit",
};

/**
 * Two document shapes: ours (`{allowed_signer_dids, roles?}`, what `GET /v1/trust` publishes) and
 * upstream's trust-config (`{config_version, allowlists: {<artifact>_signer_dids: [...]}}`).
 */
export function parseTrustDocument(doc: unknown): TrustAnchors {
  if (!isRecord(doc)) throw new UsageError("TRUST_FILE_INVALID", "a trust file is a JSON object");
  if ("allowed_signer_dids" in doc) {
    const roles: Partial<Record<SignerRole, string[]>> = {};
    if (doc.roles !== undefined) {
      if (!isRecord(doc.roles)) throw new UsageError("TRUST_FILE_INVALID", "roles must be an object");
      for (const [role, dids] of Object.entries(doc.roles)) {
        if (!(SIGNER_ROLES as readonly string[]).includes(role)) {
          throw new UsageError("TRUST_FILE_INVALID", `unknown role ${role}; known: ${SIGNER_ROLES.join(", ")}`);
        }
        roles[role as SignerRole] = didList(dids, `roles.${role}`);
      }
    }
    return { allowed_signer_dids: didList(doc.allowed_signer_dids, "allowed_signer_dids"), roles };
  }
  if (isRecord(doc.allowlists)) {
    const roles: Partial<Record<SignerRole, string[]>> = {};
    const allowed = new Set<string>();
    for (const [name, dids] of Object.entries(doc.allowlists)) {
      const role = UPSTREAM_ALLOWLIST_ROLES[name];
      if (!role) throw new UsageError("TRUST_FILE_INVALID", `unknown allowlist ${name}`);
      const list = didList(dids, `allowlists.${name}`);
      roles[role] = list;
      for (const did of list) allowed.add(did);
    }
    return { allowed_signer_dids: [...allowed], roles };
  }
  throw new UsageError("TRUST_FILE_INVALID", "expected allowed_signer_dids (clawea) or allowlists (upstream trust-config)");
}

/** `--trust` DIDs join the allowlist for every role; a trust file's role lists stay as they are. */
export function mergeTrust(fromFile: TrustAnchors | null, flagDids: readonly string[]): TrustAnchors {
  const flags = didList([...flagDids], "--trust");
  if (!fromFile) return { allowed_signer_dids: flags };
  const roles: Partial<Record<SignerRole, readonly string[]>> = {};
  for (const [role, dids] of Object.entries(fromFile.roles ?? {}) as [SignerRole, readonly string[]][]) {
    roles[role] = [...dids, ...flags];
  }
  return { allowed_signer_dids: [...new Set([...fromFile.allowed_signer_dids, ...flags])], roles };
}
