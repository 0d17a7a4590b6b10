/** RFC 8785 JSON Canonicalization Scheme: the byte form of everything we hash or sign. */
import { ProtocolError } from "./errors.js";

// A lone surrogate cannot be encoded as UTF-8, so RFC 8785 (I-JSON) input may not hold one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function fail(path: string, message: string): never {
  throw new ProtocolError("CANONICALIZATION_FAILED", message, path);
}

const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === "function"
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

/**
 * What is wrong with a value that is not an object or array, or null when it serialises. The fast pass
 * below and `locate` share it, so both reject the same values.
 */
function scalarProblem(value: unknown): string | null {
  switch (typeof value) {
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : "non-finite number";
    case "string":
      return wellFormed(value) ? null : "string holds a lone UTF-16 surrogate";
    case "object":
      return null;
    default:
      return `${typeof value} is not JSON`;
  }
}

function isPlainRecord(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const PLAIN_KEY = /^[A-Za-z0-9_.$-]*$/;

/** Raised by the fast pass, which keeps no paths; `locate` then names where. */
const INVALID = Symbol("not canonicalizable");

// ECMAScript's JSON string escaping is exactly the one RFC 8785 prescribes, and its Number-to-String is
// RFC 8785's number serialisation (-0 prints as 0). Default sort compares UTF-16 code units: RFC 8785's key order.
// Built by concatenation (V8 joins the pieces lazily): half the time and garbage of arrays joined, and a
// model call canonicalizes three documents.
function serialize(value: unknown): string {
  if (typeof value !== "object") {
    if (scalarProblem(value) !== null) throw INVALID;
    return typeof value === "boolean" ? (value ? "true" : "false") : JSON.stringify(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw INVALID;
      if (i > 0) text += ",";
      text += serialize(value[i]);
    }
    return `${text}]`;
  }
  if (!isPlainRecord(value)) throw INVALID;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) text += ",";
    // Most keys are plain identifiers and need no escaping; the rest go through JSON.stringify.
    if (PLAIN_KEY.test(key)) text += `"${key}":`;
    else if (wellFormed(key)) text += `${JSON.stringify(key)}:`;
    else throw INVALID;
    text += serialize(record[key]);
  }
  return `${text}}`;
}

/** Walks `value` in the fast pass's order and fails at the first thing it rejected, naming its path. */
function locate(value: unknown, path: string): void {
  const problem = scalarProblem(value);
  if (problem !== null) fail(path, problem);
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) fail(`${path}[${i}]`, "sparse array");
      locate(value[i], `${path}[${i}]`);
    }
    return;
  }
  if (!isPlainRecord(value)) fail(path, "not a plain object");
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (!wellFormed(key)) fail(path, "string holds a lone UTF-16 surrogate");
    locate(record[key], `${path}.${key}`);
  }
}

/** Canonical JSON text of `value`; throws CANONICALIZATION_FAILED on anything that is not plain JSON. */
export function canonicalize(value: unknown): string {
  try {
    return serialize(value);
  } catch (error) {
    if (error !== INVALID) throw error;
    locate(value, "$");
    throw new ProtocolError("CANONICALIZATION_FAILED", "not canonicalizable", "$");
  }
}

/** A deep copy of `value` whose object keys are in canonical order, so `JSON.stringify` of it equals `canonicalize`. */
export function canonicalCopy<T>(value: T): T {
  return JSON.parse(canonicalize(value)) as T;
}
