/** API shapes for tenants and their API keys. */
import { Type, type Static } from "@sinclair/typebox";
import { ROLES, type Role as RoleName } from "../../http/auth.js";

const Timestamp = Type.String({ format: "date-time" });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: "^[^\\u0000-\\u001f]+$" });

export const Role = Type.Unsafe<RoleName>({ type: "string", enum: [...ROLES] });

export const Tenant = Type.Object(
  { id: Type.String(), name: Type.String(), default_policy_hash: Type.Union([Type.String(), Type.Null()]), created_at: Timestamp },
  { $id: "Tenant", additionalProperties: false },
);

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    roles: Type.Array(Role),
    created_at: Timestamp,
    expires_at: Type.Union([Timestamp, Type.Null()]),
    revoked_at: Type.Union([Timestamp, Type.Null()]),
    last_used_at: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: "ApiKey", additionalProperties: false },
);
export type ApiKey = Static<typeof ApiKey>;

export const CreateApiKey = Type.Object(
  {
    name: Name,
    roles: Type.Array(Role, { minItems: 1, maxItems: ROLES.length, uniqueItems: true }),
    expires_at: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

/** The only time a key's secret leaves the platform. */
export const CreatedApiKey = Type.Object(
  { api_key: ApiKey, token: Type.String({ description: "Shown once: `Authorization: Bearer <token>`." }) },
  { $id: "CreatedApiKey", additionalProperties: false },
);

export const CreateTenant = Type.Object(
  {
    name: Name,
    admin_key_name: Type.Optional(Name),
  },
  { additionalProperties: false },
);

export const CreatedTenant = Type.Object(
  { tenant: Tenant, admin_key: CreatedApiKey },
  { $id: "CreatedTenant", additionalProperties: false },
);

export const KeyIdParams = Type.Object({ key_id: Type.String({ pattern: "^key_[0-9a-f]{32}$" }) }, { additionalProperties: false });
