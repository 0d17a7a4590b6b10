// Building blocks of the Clawsig artifact schemas, constrained exactly as upstream constrains them.
import { Type, type SchemaOptions, type Static, type TObject, type TProperties, type TSchema, type TUnsafe } from "@sinclair/typebox";

/** Options of an object that admits no members beyond its declared properties. */
export const closed = { additionalProperties: false } as const;

export const B64U_PATTERN = "^[A-Za-z0-9_-]+$";

/** A base64url digest, salt or signature: upstream's usual `pattern` + `minLength: 8`. */
export const B64u = Type.String({ pattern: B64U_PATTERN, minLength: 8 });
export const Did = Type.String({ pattern: "^did:" });
export const DateTime = Type.String({ format: "date-time" });
export const NonEmptyString = Type.String({ minLength: 1 });
export const NonNegativeNumber = Type.Number({ minimum: 0 });

/** An object upstream leaves open (`{ "type": "object" }`). */
export const JsonObject = Type.Unsafe<Record<string, unknown>>({ type: "object" });

/** An object with some constrained members that upstream leaves open to any others; its type says so too. */
export function OpenObject<T extends TProperties>(properties: T): TUnsafe<Static<TObject<T>> & { [member: string]: unknown }> {
  return Type.Unsafe(Type.Object(properties));
}

/** A string `enum`, kept as one keyword (a union of literals would report errors per branch). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: "string", enum: values });
}

/**
 * An object whose every member matches `value` (`additionalProperties: <schema>`). TypeBox's Record would
 * emit `patternProperties: {"^(.*)$": ...}`, which leaves keys containing a line break unchecked.
 */
export function MapOf<T extends TSchema>(value: T, options: SchemaOptions = {}): TUnsafe<Record<string, Static<T>>> {
  return Type.Unsafe<Record<string, Static<T>>>({ ...options, type: "object", additionalProperties: value });
}

export const HashAlgorithm = StringEnum(["SHA-256", "BLAKE3"]);
export const Sha256 = StringEnum(["SHA-256"]);
export const Ed25519 = StringEnum(["Ed25519"]);

/** A content-addressed pointer to another artifact. */
export const ResourceRef = Type.Object(
  { resource_type: NonEmptyString, resource_hash_b64u: B64u, uri: Type.Optional(Type.String()) },
  closed,
);

export const CLAWEA_SCHEMA_BASE = "https://clawea.dev/schemas/";

/**
 * A `$ref` to a schema that has an `$id`, typed as that schema. Schemas with an `$id` are referenced, never
 * embedded: Ajv refuses one `$id` embedded twice, and refs keep the emitted JSON Schema close to upstream's.
 */
export function Ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (schema.$id === undefined) throw new Error("Ref: the schema has no $id");
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/** Our `$id` for the artifact upstream publishes as `<path>` (e.g. `poh/gateway_receipt.v1.json`). */
export function schemaId(path: string): string {
  return `${CLAWEA_SCHEMA_BASE}${path}`;
}
