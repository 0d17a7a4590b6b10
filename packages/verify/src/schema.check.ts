/** JSON Schema validation through @clawea/schema, its errors turned into findings. */
import { validate, type ArtifactKind as SchemaKind } from "@clawea/schema";
import { finding, joinPath, type Finding } from "./result.model.js";

export type { SchemaKind };

// A document broken in many places yields many errors; the first few locate the problem well enough.
const MAX_SCHEMA_FINDINGS = 5;

/** `/payload/event_chain/0` (JSON Pointer, as Ajv reports it) → `payload.event_chain[0]`. */
function pointerToPath(pointer: string): string {
  if (pointer === "" || pointer === "/") return "$";
  if (!pointer.startsWith("/")) return pointer;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, token) => joinPath(path, /^\d+$/.test(token) ? `[${token}]` : token), "$");
}

export function schemaFindings(kind: SchemaKind, value: unknown, path: string): Finding[] {
  const result = validate(kind, value);
  if (result.ok) return [];
  // A failed validation always yields a finding, even should the validator name no error.
  const errors = result.errors.length > 0 ? result.errors : [{ path: "", message: "does not match its schema" }];
  const findings = new Map<string, Finding>();
  for (const error of errors) {
    const f = finding("SCHEMA_VALIDATION_FAILED", joinPath(path, pointerToPath(error.path)), `${kind}: ${error.message}`);
    // Alternatives (oneOf/anyOf) report the same miss once per branch.
    findings.set(`${f.path}\u0000${f.message}`, f);
  }
  return [...findings.values()].slice(0, MAX_SCHEMA_FINDINGS);
}
