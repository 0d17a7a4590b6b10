/** What makes a WPC document admissible to the registry, and the key a document is stored under. */
import { hashJcsB64u, ProtocolError } from "@clawea/protocol";
import { validate, type SchemaError } from "@clawea/schema";

export type WpcCheck =
  | { ok: true; hash: string; policyVersion: "1" | "2"; policyId: string }
  | { ok: false; code: "POLICY_INVALID" | "CANONICALIZATION_FAILED"; errors: SchemaError[] };

const SCHEMA_BY_VERSION = { "1": "wpc_v1", "2": "wpc_v2" } as const;

/** PostgreSQL's jsonb cannot hold U+0000, so a document carrying one could be hashed but never stored. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], `${path}/${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      const memberPath = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (key.includes("\u0000")) return memberPath;
      const found = nulAt(member, memberPath);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Validates the document against the WPC schema its `policy_version` names and computes its content address. */
export function checkWpc(document: Record<string, unknown>): WpcCheck {
  const version = document["policy_version"];
  if (version !== "1" && version !== "2") {
    return { ok: false, code: "POLICY_INVALID", errors: [{ path: "/policy_version", message: 'must be "1" or "2"' }] };
  }
  const result = validate(SCHEMA_BY_VERSION[version], document);
  if (!result.ok) return { ok: false, code: "POLICY_INVALID", errors: result.errors };
  const nul = nulAt(document, "");
  if (nul !== null) return { ok: false, code: "POLICY_INVALID", errors: [{ path: nul, message: "must not contain U+0000" }] };
  try {
    return { ok: true, hash: hashJcsB64u(document), policyVersion: version, policyId: result.value.policy_id };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, code: "CANONICALIZATION_FAILED", errors: [{ path: "", message: `${error.path ?? "$"}: ${error.message}` }] };
    throw error;
  }
}
