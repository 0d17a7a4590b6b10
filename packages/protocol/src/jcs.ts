/** RFC 8785 JSON Canonicalization Scheme: the byte form of everything we hash or sign. */
import { ProtocolError } from "./errors.js";

// A lone surrogate cannot be encoded as UTF-8, so RFC 8785 (I-JSON) input may not hold one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function fail(path: string, message: string): never {
  throw new ProtocolError("CANONICALIZATION_FAILED", message, path);
}

function serializeString(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) fail(path, "string holds a lone UTF-16 surrogate");
  // ECMAScript's JSON string escaping is exactly the one RFC 8785 prescribes.
  return JSON.stringify(text);
}

function serialize(value: unknown, path: string): string {
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) fail(path, "non-finite number");
      // ECMAScript Number-to-String is RFC 8785's number serialisation (and -0 prints as 0).
      return JSON.stringify(value);
    case "string":
      return serializeString(value, path);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) fail(`${path}[${i}]`, "sparse array");
          items.push(serialize(value[i], `${path}[${i}]`));
        }
        return `[${items.join(",")}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) fail(path, "not a plain object");
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is RFC 8785's key order.
      const keys = Object.keys(record).sort();
      const members: string[] = [];
      for (const key of keys) {
        members.push(`${serializeString(key, path)}:${serialize(record[key], `${path}.${key}`)}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      return fail(path, `${typeof value} is not JSON`);
  }
}

/** Canonical JSON text of `value`; throws CANONICALIZATION_FAILED on anything that is not plain JSON. */
export function canonicalize(value: unknown): string {
  return serialize(value, "$");
}

/** A deep copy of `value` whose object keys are in canonical order, so `JSON.stringify` of it equals `canonicalize`. */
export function canonicalCopy<T>(value: T): T {
  return JSON.parse(canonicalize(value)) as T;
}
