/** API shapes for preflight: what a CI job means to do (the scope), under which WPC, and the decisions. */
import { Type } from "@sinclair/typebox";
import { DENY_REASON_CODES, MODEL_IDENTITY_TIERS, SIDE_EFFECT_KINDS } from "@clawea/policy";

const PolicyHash = Type.String({ pattern: "^[A-Za-z0-9_-]{43}$", description: "A policy of this tenant's registry (b64u SHA-256 of the WPC's JCS form)." });

/** Any JSON object: the service checks it against the WPC schema itself so that a bad document is POLICY_INVALID. */
const InlineWpc = Type.Unsafe<Record<string, unknown>>({
  type: "object",
  additionalProperties: true,
  description: "A Work Policy Contract v1 or v2, not stored. A parent it `inherits` is looked up in this tenant's registry by `policy_id`.",
});

const Method = Type.String({ pattern: "^[A-Za-z]{1,16}$", description: "The HTTP method; leave it out for a CONNECT tunnel (HTTPS through the proxy)." });

export const ModelCallIntent = Type.Object(
  {
    provider: Type.String({ minLength: 1, maxLength: 256, example: "openai" }),
    model: Type.String({ minLength: 1, maxLength: 256, example: "gpt-4.1-mini" }),
    model_identity_tier: Type.Optional(Type.Unsafe<(typeof MODEL_IDENTITY_TIERS)[number]>({ type: "string", enum: [...MODEL_IDENTITY_TIERS] })),
    estimated_tokens: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Tokens the call may use (prompt + max output), checked against the run's budget." })),
  },
  { $id: "ModelCallIntent", additionalProperties: false },
);

export const EgressIntent = Type.Union(
  [
    Type.Object(
      { url: Type.String({ minLength: 1, maxLength: 2048, example: "https://api.github.com/repos/acme/app" }), method: Type.Optional(Method) },
      { additionalProperties: false, description: "An http(s) URL; only its scheme, host and port are decided." },
    ),
    Type.Object(
      {
        scheme: Type.Unsafe<"http" | "https">({ type: "string", enum: ["http", "https"] }),
        host: Type.String({ minLength: 1, maxLength: 253 }),
        port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: "Default: 80 for http, 443 for https." })),
        method: Type.Optional(Method),
      },
      { additionalProperties: false },
    ),
  ],
  { $id: "EgressIntent", description: "A destination the job will reach through the gateway's egress proxy." },
);

export const SideEffectIntent = Type.Object(
  {
    kind: Type.Unsafe<(typeof SIDE_EFFECT_KINDS)[number]>({ type: "string", enum: [...SIDE_EFFECT_KINDS] }),
    target: Type.String({ minLength: 1, maxLength: 2048, description: "A URL for network egress and API writes, a path for files, the repository ref, address or channel otherwise." }),
    summary: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { $id: "SideEffectIntent", additionalProperties: false },
);

const MAX_INTENTS = 256;

export const PreflightScope = Type.Object(
  {
    model_calls: Type.Optional(Type.Array(ModelCallIntent, { maxItems: MAX_INTENTS })),
    egress: Type.Optional(Type.Array(EgressIntent, { maxItems: MAX_INTENTS })),
    side_effects: Type.Optional(Type.Array(SideEffectIntent, { maxItems: MAX_INTENTS })),
  },
  {
    $id: "PreflightScope",
    additionalProperties: false,
    description: "What a job means to do. The same document is `clawea preflight --scope`'s file.",
  },
);

const Now = Type.String({ format: "date-time", description: "Decide as of this instant (conditions on `Context:Hour`); default: now." });

export const PreflightRequest = Type.Object(
  {
    policy_hash: Type.Optional(PolicyHash),
    wpc: Type.Optional(InlineWpc),
    scope: PreflightScope,
    now: Type.Optional(Now),
  },
  {
    additionalProperties: false,
    oneOf: [{ required: ["policy_hash"] }, { required: ["wpc"] }],
    description: "Exactly one of `policy_hash` (the tenant's registry) or `wpc` (an inline document).",
  },
);

export const PreflightDecision = Type.Object(
  {
    scope_path: Type.String({ description: "JSON Pointer into the scope, such as `/egress/0`." }),
    type: Type.Unsafe<"model_call" | "egress" | "side_effect">({ type: "string", enum: ["model_call", "egress", "side_effect"] }),
    kind: Type.Optional(Type.Unsafe<(typeof SIDE_EFFECT_KINDS)[number]>({ type: "string", enum: [...SIDE_EFFECT_KINDS], description: "The side effect's kind (side effects only)." })),
    target: Type.String({ description: "`provider/model`, or the side effect's canonical target (`https://host:443` for egress)." }),
    effect: Type.Unsafe<"allow" | "deny">({ type: "string", enum: ["allow", "deny"] }),
    reason_code: Type.Optional(Type.Unsafe<(typeof DENY_REASON_CODES)[number]>({ type: "string", enum: [...DENY_REASON_CODES] })),
    detail: Type.Optional(Type.String({ description: "For people; programs read `reason_code`." })),
    statement_ids: Type.Array(Type.String(), { description: "The statements that decided: the explicit Deny, or the Allows." }),
  },
  { $id: "PreflightDecision", additionalProperties: false },
);

export const PreflightReport = Type.Object(
  {
    allowed: Type.Boolean(),
    reason_codes: Type.Array(Type.String(), { description: "Each denial's code once, in the order the scope first produced it." }),
    decisions: Type.Array(PreflightDecision, { description: "One per intent: model calls, then egress, then side effects." }),
    policy_hash_b64u: Type.String(),
    evaluated_at: Type.String({ format: "date-time" }),
  },
  { $id: "PreflightReport", additionalProperties: false },
);
