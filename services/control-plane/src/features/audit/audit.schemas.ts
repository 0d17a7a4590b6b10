/** API shapes for audit, verification and trust. */
import { Type } from "@sinclair/typebox";
import { RUN_STATES } from "@clawea/db";
import { PageQuery } from "../../http/pagination.js";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Loose = Type.Record(Type.String(), Type.Unknown());

export const AuditRunsQuery = Type.Composite(
  [
    PageQuery,
    Type.Object({
      agent_id: Type.Optional(Type.String({ maxLength: 100 })),
      state: Type.Optional(Type.String({ enum: [...RUN_STATES] })),
      policy_hash: Type.Optional(Type.String({ maxLength: 100 })),
      mission_id: Type.Optional(Type.String({ maxLength: 200 })),
      from: Type.Optional(Timestamp),
      to: Type.Optional(Timestamp),
    }),
  ],
  { additionalProperties: false },
);

export const AuditRunItem = Type.Object(
  {
    id: Type.String(),
    agent_id: Type.String(),
    state: Type.String(),
    mission_id: Nullable(Type.String()),
    policy_hash: Type.String(),
    plan_hash: Nullable(Type.String()),
    scope_hash: Nullable(Type.String()),
    reason_code: Nullable(Type.String()),
    has_evidence: Type.Boolean(),
    created_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { $id: "AuditRunItem", additionalProperties: false },
);

export const AuditRun = Type.Object(
  {
    run: Loose,
    approval: Nullable(Loose),
    wpc: Type.Object({ policy_hash: Type.String(), document: Nullable(Loose) }),
    receipts: Type.Array(Loose),
    evidence: Nullable(Loose),
    links: Type.Record(Type.String(), Nullable(Type.String())),
  },
  { $id: "AuditRun", additionalProperties: false },
);

export const RunSummary = Type.Object(
  {
    run_id: Type.String(),
    agent_id: Type.String(),
    state: Type.String(),
    reason_code: Nullable(Type.String()),
    mission_id: Nullable(Type.String()),
    verdict: Type.String({ enum: ["PASS", "FAIL", "PENDING"] }),
    verification_reason_codes: Type.Array(Type.String()),
    policy_hash: Type.String(),
    scope_hash: Nullable(Type.String()),
    plan_hash: Nullable(Type.String()),
    approval: Nullable(Loose),
    intended_side_effects: Type.Array(Loose),
    side_effects: Type.Array(Loose),
    refused: Type.Array(Type.Unknown()),
    workspace_diff: Type.Array(Type.Unknown()),
    links: Type.Record(Type.String(), Nullable(Type.String())),
    created_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { $id: "RunSummary", additionalProperties: false },
);

export const ExportQuery = Type.Object({ format: Type.String({ enum: ["json", "tar.gz"], default: "json" }) }, { additionalProperties: false });
export const AuditRunParams = Type.Object({ run_id: Type.String({ pattern: "^run_[0-9a-f]{32}$" }) }, { additionalProperties: false });
export const ArtifactParams = Type.Object({ sha256: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" }) }, { additionalProperties: false });

export const TrustAnchorsSchema = Type.Object(
  {
    allowed_signer_dids: Type.Array(Type.String()),
    roles: Type.Record(Type.String(), Type.Array(Type.String())),
  },
  { $id: "TrustAnchors", additionalProperties: false },
);

export const VerifyBody = Type.Object(
  {
    artifact: Loose,
    trust: Type.Optional(Type.Object({ allowed_signer_dids: Type.Array(Type.String()), roles: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))) }, { additionalProperties: false })),
  },
  { $id: "VerifyBody", additionalProperties: false },
);

export const VerificationResultSchema = Type.Object(
  {
    valid: Type.Boolean(),
    reason_codes: Type.Array(Type.String()),
    findings: Type.Array(Loose),
    details: Loose,
  },
  { $id: "VerificationResult", additionalProperties: false },
);
