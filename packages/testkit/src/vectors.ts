// Typed access to the upstream conformance vectors and the trust anchors they assume.
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { clawsigDir, type ClawsigDirOptions } from "./clawsig-dir.js";

export const VECTOR_KINDS = ["proof_bundle", "export_bundle", "log_inclusion_proof"] as const;
export type VectorKind = (typeof VECTOR_KINDS)[number];

export interface VectorEntry {
  readonly name: string;
  readonly kind: VectorKind;
  /** Relative to the vectors folder; pass to `readVector`. */
  readonly path: string;
  readonly expected: { readonly valid: boolean; readonly reason_code: string | readonly string[] };
}

export interface VectorManifest {
  readonly manifest_version: string;
  readonly vectors: readonly VectorEntry[];
}

export interface TrustConfig {
  readonly config_version: string;
  readonly allowlists: Readonly<Record<string, readonly string[]>>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

// The files are outside the repo and change upstream: a shape we do not expect must fail loudly, not mistype tests.
function fail(file: string, why: string): never {
  throw new Error(`clawsig: ${file} is malformed: ${why}`);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8")) as unknown;
}

function vectorsDir(options?: ClawsigDirOptions): string {
  return join(clawsigDir(options), "vectors");
}

function toEntry(raw: unknown, index: number): VectorEntry {
  const at = `manifest.json vectors[${index}]`;
  if (!isObject(raw)) fail(at, "not an object");
  const { name, kind, path, expected } = raw;
  if (typeof name !== "string" || name === "") fail(at, "name");
  if (!VECTOR_KINDS.includes(kind as VectorKind)) fail(at, `kind ${String(kind)}`);
  if (typeof path !== "string" || path === "") fail(at, "path");
  if (!isObject(expected) || typeof expected["valid"] !== "boolean") fail(at, "expected.valid");
  const reasonCode = expected["reason_code"];
  if (typeof reasonCode !== "string" && !isStringArray(reasonCode)) fail(at, "expected.reason_code");
  return { name, kind: kind as VectorKind, path, expected: { valid: expected["valid"], reason_code: reasonCode } };
}

export function loadVectorManifest(options?: ClawsigDirOptions): VectorManifest {
  const raw = readJson(join(vectorsDir(options), "manifest.json"));
  if (!isObject(raw)) fail("manifest.json", "not an object");
  if (typeof raw["manifest_version"] !== "string") fail("manifest.json", "manifest_version");
  if (!Array.isArray(raw["vectors"])) fail("manifest.json", "vectors");
  return { manifest_version: raw["manifest_version"], vectors: raw["vectors"].map(toEntry) };
}

/** Parsed JSON of one vector file, by its path relative to the vectors folder. */
export function readVector(path: string, options?: ClawsigDirOptions): unknown {
  const dir = vectorsDir(options);
  const file = resolve(dir, path);
  const rel = relative(dir, file);
  if (isAbsolute(path) || rel.startsWith("..")) throw new Error(`clawsig: vector path ${path} leaves the vectors folder`);
  return readJson(file);
}

export function loadTrustConfig(options?: ClawsigDirOptions): TrustConfig {
  const raw = readJson(join(vectorsDir(options), "trust-config.json"));
  if (!isObject(raw)) fail("trust-config.json", "not an object");
  const { config_version: version, allowlists } = raw;
  if (typeof version !== "string") fail("trust-config.json", "config_version");
  if (!isObject(allowlists)) fail("trust-config.json", "allowlists");
  const lists: Record<string, readonly string[]> = {};
  for (const [key, dids] of Object.entries(allowlists)) {
    if (!isStringArray(dids)) fail("trust-config.json", `allowlists.${key}`);
    lists[key] = dids;
  }
  return { config_version: version, allowlists: lists };
}
