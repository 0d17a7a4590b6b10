/** API shapes for approvals, decisions and the tenant's approval settings. */
import { Type, type Static } from "@sinclair/typebox";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ScopeEntry = Type.Object(
  { kind: Type.String({ minLength: 1, maxLength: 64 }), target: Type.String({ minLength: 1, maxLength: 2048 }) },
  { additionalProperties: false },
);
export const Scope = Type.Object(
  { scope_hash_b64u: Type.String(), side_effects: Type.Array(ScopeEntry) },
  { additionalProperties: false },
);

export const Approval = Type.Object(
  {
    id: Type.String(),
    run_id: Type.String(),
    agent_id: Type.String(),
    status: Type.String({ enum: ["pending", "approved", "denied", "expired", "cancelled"] }),
    plan_hash: Type.String(),
    policy_hash: Type.String(),
    requested_scope: Scope,
    granted_scope: Nullable(Scope),
    mode: Nullable(Type.String()),
    grant_id: Nullable(Type.String()),
    decided_by: Nullable(Type.String()),
    decided_via: Nullable(Type.String()),
    decided_at: Nullable(Timestamp),
    reason: Nullable(Type.String()),
    receipt: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: "The signed human_approval_receipt envelope." })),
    expires_at: Timestamp,
    created_at: Timestamp,
  },
  { $id: "Approval", additionalProperties: false },
);

export const Decision = Type.Object(
  {
    decision: Type.String({ enum: ["approve_once", "approve_scope", "deny"] }),
    scope: Type.Optional(Type.Array(ScopeEntry, { maxItems: 1000, description: "Approve less than the plan asks: a subset of its side effects." })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { $id: "Decision", additionalProperties: false },
);
export type Decision = Static<typeof Decision>;

export const ApprovalIdParams = Type.Object({ approval_id: Type.String({ pattern: "^apr_[0-9a-f]{32}$" }) }, { additionalProperties: false });
export const ListApprovalsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ enum: ["pending", "approved", "denied", "expired", "cancelled"] })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const ApprovalSettings = Type.Object(
  {
    approver_roles: Type.Array(Type.String({ enum: ["admin", "security", "operator", "auditor", "finance", "developer"] }), { minItems: 1, uniqueItems: true }),
    allow_self_approval: Type.Boolean(),
    approval_ttl_seconds: Type.Integer({ minimum: 60, maximum: 30 * 86_400 }),
    scope_grant_ttl_seconds: Type.Integer({ minimum: 60, maximum: 30 * 86_400 }),
    channels: Type.Object(
      {
        slack: Type.Optional(
          Type.Object(
            {
              bot_token_secret: Type.String({ description: "Name of the tenant secret holding the bot token." }),
              signing_secret_secret: Type.String({ description: "Name of the tenant secret holding the Slack signing secret." }),
              channel: Type.String(),
              api_url: Type.Optional(Type.String({ format: "uri" })),
            },
            { additionalProperties: false },
          ),
        ),
        teams: Type.Optional(
          Type.Object(
            { webhook_url_secret: Type.String(), hmac_secret_secret: Type.String() },
            { additionalProperties: false },
          ),
        ),
        github: Type.Optional(
          Type.Object(
            {
              token_secret: Type.String(),
              webhook_secret_secret: Type.String(),
              owner: Type.String(),
              repo: Type.String(),
              head_sha: Type.Optional(Type.String()),
              pr_number: Type.Optional(Type.Integer({ minimum: 1 })),
              api_url: Type.Optional(Type.String({ format: "uri" })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { $id: "ApprovalSettings", additionalProperties: false },
);
export type ApprovalSettingsBody = Static<typeof ApprovalSettings>;
