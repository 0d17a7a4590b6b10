/** API shapes for tenant secrets: values go in, only metadata ever comes out. */
import { Type } from "@sinclair/typebox";
import { SECRET_KINDS, type SecretKind as SecretKindName } from "@clawea/db";

const Timestamp = Type.String({ format: "date-time" });

export const SecretKind = Type.Unsafe<SecretKindName>({ type: "string", enum: [...SECRET_KINDS] });

export const SecretNameParams = Type.Object(
  { name: Type.String({ pattern: "^[a-z0-9][a-z0-9_.-]{0,63}$", description: "Lowercase letters, digits, `_`, `.`, `-`; 1-64 characters." }) },
  { additionalProperties: false },
);

export const PutSecret = Type.Object(
  {
    value: Type.String({ minLength: 1, maxLength: 16384, description: "Write-only: sealed at rest and never returned." }),
    kind: SecretKind,
  },
  { additionalProperties: false },
);

export const Secret = Type.Object(
  { name: Type.String(), kind: SecretKind, created_at: Timestamp, updated_at: Timestamp, updated_by_key_id: Type.Union([Type.String(), Type.Null()]) },
  { $id: "Secret", additionalProperties: false, description: "A secret's metadata; its value is never returned." },
);
