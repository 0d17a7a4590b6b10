// Work Policy Contract (policy/work_policy_contract v1 and v2) and its signed envelope.
import { Type, type Static } from "@sinclair/typebox";
import { B64U_PATTERN, closed, DateTime, JsonObject, MapOf, Ref, schemaId, StringEnum } from "./common.schema.js";
import { ModelIdentityTier } from "./model-identity.schema.js";
import { envelopeFields } from "./signed-envelope.schema.js";

const PolicyId = Type.String({ minLength: 1, maxLength: 128 });
const IssuerDid = Type.String({ pattern: "^did:", minLength: 4, maxLength: 256 });

export const WorkPolicyContractV1 = Type.Object(
  {
    policy_version: Type.Literal("1"),
    policy_id: PolicyId,
    issuer_did: IssuerDid,
    allowed_providers: Type.Optional(Type.Array(StringEnum(["openai", "anthropic", "google"]), { maxItems: 16 })),
    allowed_models: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 256 })),
    minimum_model_identity_tier: Type.Optional(ModelIdentityTier),
    required_audit_packs: Type.Optional(
      Type.Array(Type.String({ pattern: B64U_PATTERN, minLength: 8, maxLength: 128 }), { maxItems: 64 }),
    ),
    redaction_rules: Type.Optional(
      Type.Array(
        Type.Object(
          { path: Type.String({ minLength: 1, maxLength: 512 }), action: StringEnum(["remove", "hash", "mask"]) },
          closed,
        ),
        { maxItems: 256 },
      ),
    ),
    receipt_privacy_mode: Type.Optional(StringEnum(["hash_only", "encrypted"])),
    egress_allowlist: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 256 })),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("policy/work_policy_contract.v1.json"), ...closed },
);
export type WorkPolicyContractV1 = Static<typeof WorkPolicyContractV1>;

/** Context key → expected value, e.g. `{"Model:Provider": "anthropic"}`. */
export const ConditionMap = MapOf(Type.String({ maxLength: 512 }), { maxProperties: 16 });
export type ConditionMap = Static<typeof ConditionMap>;

export const PolicyStatement = Type.Object(
  {
    sid: PolicyId,
    effect: StringEnum(["Allow", "Deny"]),
    actions: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 64 }),
    resources: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { minItems: 1, maxItems: 256 }),
    conditions: Type.Optional(
      Type.Object(
        {
          StringEquals: Type.Optional(ConditionMap),
          StringNotEquals: Type.Optional(ConditionMap),
          StringLike: Type.Optional(ConditionMap),
          StringNotLike: Type.Optional(ConditionMap),
          NumericEquals: Type.Optional(ConditionMap),
          NumericLessThan: Type.Optional(ConditionMap),
          NumericGreaterThan: Type.Optional(ConditionMap),
          Bool: Type.Optional(ConditionMap),
          IpAddress: Type.Optional(ConditionMap),
        },
        closed,
      ),
    ),
  },
  closed,
);
export type PolicyStatement = Static<typeof PolicyStatement>;

export const WitnessedWebPolicy = Type.Object(
  {
    mode: Type.Optional(StringEnum(["warn", "enforce"], { default: "warn" })),
    quorum: Type.Optional(Type.Object({ m: Type.Number({ minimum: 1 }), n: Type.Number({ minimum: 1 }) }, closed)),
    transparency: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(StringEnum(["optional", "warn", "enforce"], { default: "optional" })),
          required_after: Type.Optional(DateTime),
        },
        closed,
      ),
    ),
  },
  closed,
);
export type WitnessedWebPolicy = Static<typeof WitnessedWebPolicy>;

export const WorkPolicyContractV2 = Type.Object(
  {
    policy_version: Type.Literal("2"),
    policy_id: PolicyId,
    issuer_did: IssuerDid,
    // Strict intersection: when set, the parent policy must allow an action too.
    inherits: Type.Optional(PolicyId),
    coverage_enforcement: Type.Optional(StringEnum(["observe", "warn", "enforce"], { default: "observe" })),
    witnessed_web_policy: Type.Optional(WitnessedWebPolicy),
    statements: Type.Array(PolicyStatement, { minItems: 1, maxItems: 64 }),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("policy/work_policy_contract.v2.json"), ...closed },
);
export type WorkPolicyContractV2 = Static<typeof WorkPolicyContractV2>;

export const WorkPolicyContractEnvelope = Type.Object(
  {
    ...envelopeFields("1", "work_policy_contract", Ref(WorkPolicyContractV1)),
    hash_algorithm: Type.Literal("SHA-256"),
    algorithm: Type.Literal("Ed25519"),
    signer_did: Type.String({ pattern: "^did:", minLength: 4 }),
  },
  { $id: schemaId("policy/work_policy_contract_envelope.v1.json"), ...closed },
);
export type WorkPolicyContractEnvelope = Static<typeof WorkPolicyContractEnvelope>;
