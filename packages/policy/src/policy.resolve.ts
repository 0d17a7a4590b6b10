/**
 * The one way a registered policy's `inherits` is resolved, shared by the gateway, preflight and the data
 * plane: walk the chain through the caller's registry lookup, then normalise with the parents found.
 */
import { MAX_INHERITANCE_DEPTH, normalizePolicy, type NormalizeResult } from "./policy.model.js";

/**
 * The registry's answer for a `policy_id` that a policy inherits: the **newest** document of the
 * tenant's registry with that `policy_id`, or undefined (or null) when there is none. It may read a database
 * (return a promise).
 */
export type ParentLookup = (policyId: string) => unknown;

/** The `policy_id` a document inherits, or null (v1 documents and v2 documents without `inherits`). */
export function inheritsOf(document: unknown): string | null {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return null;
  const inherits = (document as Record<string, unknown>)["inherits"];
  return typeof inherits === "string" ? inherits : null;
}

/**
 * `normalizePolicy` with its parents read through `lookup` first, one level at a time. It asks for no more
 * parents than `normalizePolicy` accepts and stops at a repeat, so a chain that is too deep, cyclic or
 * broken is reported by `normalizePolicy` itself (`POLICY_PARENT_UNRESOLVED`). A lookup that throws rejects.
 *
 * Its answer depends on the registry as well as on the document: a newer document can take over a
 * parent's `policy_id`. Cache an inheriting policy only briefly (see `inheritsOf`).
 */
export async function resolvePolicy(document: unknown, lookup: ParentLookup): Promise<NormalizeResult> {
  const parents = new Map<string, unknown>();
  for (let id = inheritsOf(document); id !== null && !parents.has(id) && parents.size < MAX_INHERITANCE_DEPTH; ) {
    const parent: unknown = await lookup(id);
    if (parent === undefined || parent === null) break;
    parents.set(id, parent);
    id = inheritsOf(parent);
  }
  return normalizePolicy(document, { resolveParent: (id) => parents.get(id) });
}
