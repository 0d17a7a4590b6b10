/** API shapes for the WPC registry, the tenant's default policy and agents' policy assignments. */
import { Type } from "@sinclair/typebox";

const Timestamp = Type.String({ format: "date-time" });

/** A policy's hash: SHA-256 of the document's RFC 8785 canonical JSON, base64url without padding. */
export const PolicyHash = Type.String({ pattern: "^[A-Za-z0-9_-]{43}$", description: "b64u SHA-256 of the WPC's JCS form." });

const PolicyName = Type.String({ minLength: 1, maxLength: 120, pattern: "^[^\\u0000-\\u001f]+$" });

/** Any JSON object: the route checks it against the WPC schema itself so that a bad document is POLICY_INVALID. */
const WpcDocument = Type.Unsafe<Record<string, unknown>>({
  type: "object",
  additionalProperties: true,
  description: "A Work Policy Contract v1 or v2 (chosen by its `policy_version`), as the Clawsig schemas define it.",
});

export const CreatePolicy = Type.Object({ document: WpcDocument, name: Type.Optional(PolicyName) }, { additionalProperties: false });

const policyFields = {
  hash: Type.String(),
  policy_version: Type.String(),
  policy_id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  created_by_key_id: Type.Union([Type.String(), Type.Null()]),
};

export const PolicySummary = Type.Object(policyFields, { $id: "PolicySummary", additionalProperties: false });

export const Policy = Type.Object({ ...policyFields, document: WpcDocument }, { $id: "Policy", additionalProperties: false });

export const PolicyHashParams = Type.Object({ hash: PolicyHash }, { additionalProperties: false });

export const SetDefaultPolicy = Type.Object(
  { policy_hash: Type.Union([PolicyHash, Type.Null()], { description: "A policy of this tenant's registry, or null to clear the default." }) },
  { additionalProperties: false },
);

export const AssignPolicy = Type.Object({ policy_hash: PolicyHash }, { additionalProperties: false });

export const AgentIdParams = Type.Object({ agent_id: Type.String({ pattern: "^agt_[0-9a-f]{32}$" }) }, { additionalProperties: false });

/** One span of an agent's policy history: who assigned which WPC, in force from `effective_from` until `effective_to`. */
export const PolicyAssignment = Type.Object(
  {
    id: Type.String(),
    agent_id: Type.String(),
    policy_hash: Type.Union([Type.String(), Type.Null()]),
    policy_id: Type.Union([Type.String(), Type.Null()], { description: "The WPC's `policy_id`, when the policy is in the registry." }),
    policy_name: Type.Union([Type.String(), Type.Null()]),
    effective_from: Timestamp,
    effective_to: Type.Union([Timestamp, Type.Null()], { description: "Null while the assignment is in force." }),
    assigned_by_key_id: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: "PolicyAssignment", additionalProperties: false },
);

export const PolicyHistoryQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "`next_cursor` of the previous page." })),
    at: Type.Optional(Type.String({ format: "date-time", description: "Only the assignment in force at this instant (at most one item)." })),
  },
  { additionalProperties: false },
);
