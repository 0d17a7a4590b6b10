/** API shapes for templates, and the deployable settings templates and agent overrides share. */
import { Type, type Static } from "@sinclair/typebox";

const Timestamp = Type.String({ format: "date-time" });

export const Name = Type.String({ minLength: 1, maxLength: 120, pattern: "^[^\\u0000-\\u001f]+$" });
export const RUNTIMES = ["openclaw", "reference"] as const;
export type Runtime = (typeof RUNTIMES)[number];
export const Runtime = Type.Unsafe<Runtime>({ type: "string", enum: [...RUNTIMES] });

/** `provider/model`, as the gateway routes it. */
export const Model = Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9._:/-]*$", example: "openai/gpt-4.1-mini" });
/** The JCS SHA-256 (base64url) a WPC is stored under. */
export const PolicyHash = Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" });
export const SecretRefs = Type.Array(Type.String({ pattern: "^[A-Za-z0-9_.-]{1,128}$" }), { maxItems: 32, uniqueItems: true, description: "Names of the tenant's secrets." });
/** Runtime-specific settings passed to the agent as they are; at most `CONFIG_MAX_BYTES` as JSON. */
export const Config = Type.Record(Type.String({ maxLength: 128 }), Type.Unknown(), { maxProperties: 64 });
export const CONFIG_MAX_BYTES = 16 * 1024;

export const RESOURCE_BOUNDS = {
  cpu_millis: { minimum: 100, maximum: 16_000 },
  memory_mb: { minimum: 128, maximum: 65_536 },
  disk_mb: { minimum: 256, maximum: 262_144 },
} as const;
export const SleepAfterSeconds = Type.Integer({ minimum: 60, maximum: 7 * 24 * 3600, description: "Idle time after which the agent sleeps on its own." });

export const Resources = Type.Object(
  {
    cpu_millis: Type.Integer(RESOURCE_BOUNDS.cpu_millis),
    memory_mb: Type.Integer(RESOURCE_BOUNDS.memory_mb),
    disk_mb: Type.Integer(RESOURCE_BOUNDS.disk_mb),
  },
  { $id: "Resources", additionalProperties: false },
);
export type Resources = Static<typeof Resources>;

export const Template = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    builtin: Type.Boolean({ description: "Built-in templates are shared by every tenant and read-only." }),
    runtime: Runtime,
    model: Type.String(),
    resources: Resources,
    sleep_after_seconds: Type.Integer(),
    stateless: Type.Boolean(),
    default_policy_hash: Type.Union([Type.String(), Type.Null()]),
    secret_refs: Type.Array(Type.String()),
    config: Type.Record(Type.String(), Type.Unknown()),
    created_at: Timestamp,
  },
  { $id: "Template", additionalProperties: false },
);
export type Template = Static<typeof Template>;

export const CreateTemplate = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    runtime: Runtime,
    model: Model,
    resources: Type.Object(
      {
        cpu_millis: Type.Integer(RESOURCE_BOUNDS.cpu_millis),
        memory_mb: Type.Integer(RESOURCE_BOUNDS.memory_mb),
        disk_mb: Type.Integer(RESOURCE_BOUNDS.disk_mb),
      },
      { additionalProperties: false },
    ),
    sleep_after_seconds: SleepAfterSeconds,
    stateless: Type.Boolean(),
    default_policy_hash: Type.Optional(PolicyHash),
    secret_refs: Type.Optional(SecretRefs),
    config: Type.Optional(Config),
  },
  { additionalProperties: false },
);
export type CreateTemplate = Static<typeof CreateTemplate>;

/** Tenant template ids are `tpl_<32 hex>`; built-in ones are readable (`tpl_reference_small`). */
export const TEMPLATE_ID_PATTERN = "^tpl_[a-z0-9_]{1,64}$";
export const TemplateIdParams = Type.Object({ template_id: Type.String({ pattern: TEMPLATE_ID_PATTERN }) }, { additionalProperties: false });
