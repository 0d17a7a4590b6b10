// Validates values against the upstream Clawsig JSON Schemas, each under the draft its file declares.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Ajv, type AnySchemaObject, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { clawsigDir, type ClawsigDirOptions } from "./clawsig-dir.js";

export type UpstreamDraft = "draft-07" | "2020-12";

const DRAFT_URIS: Readonly<Record<UpstreamDraft, string>> = {
  "draft-07": "http://json-schema.org/draft-07/schema#",
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
};

export interface UpstreamSchema {
  /** Relative to the schemas folder, with forward slashes, e.g. `poh/gateway_receipt.v1.json`. */
  readonly path: string;
  readonly id: string;
  readonly draft: UpstreamDraft;
  readonly schema: AnySchemaObject;
  /** Absolute ids of the other upstream schemas this one `$ref`s. */
  readonly refs: readonly string[];
}

export interface UpstreamResult {
  readonly ok: boolean;
  readonly errors: string[];
}

export interface UpstreamSchemas {
  readonly schemas: readonly UpstreamSchema[];
  /** Looks a schema up by its `$id` or by its path relative to schemas/. */
  get(ref: string): UpstreamSchema;
  /** Compiled on first use and cached by Ajv. */
  validator(ref: string): ValidateFunction;
  validate(ref: string, value: unknown): UpstreamResult;
}

// Upstream leaves `type` implicit in partial subschemas (`allOf/if/then`, `contains`), writes union types, and
// lists `required` names in `anyOf` branches that are declared one level up. All of that is valid JSON Schema
// that Ajv's strict mode refuses, so exactly those two checks are relaxed; the rest of strict mode stays on.
const UPSTREAM_AJV_OPTIONS: Options = { strict: true, strictTypes: false, strictRequired: false };

// Keywords whose meaning differs between the two drafts; a schema using one cannot be evaluated under the other.
const DRAFT_ONLY_KEYWORDS: Readonly<Record<UpstreamDraft, readonly string[]>> = {
  "draft-07": ["dependencies", "additionalItems"],
  "2020-12": [
    "prefixItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentRequired",
    "dependentSchemas",
    "minContains",
    "maxContains",
  ],
};

const SUBSCHEMA_KEYWORDS = ["additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames", "additionalItems", "unevaluatedProperties", "unevaluatedItems"];
const SUBSCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Visits every subschema (not every object: property names such as `items` must not be read as keywords). */
function eachSubschema(schema: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (!isObject(schema)) return;
  visit(schema);
  for (const key of SUBSCHEMA_KEYWORDS) {
    const sub = schema[key];
    if (Array.isArray(sub)) sub.forEach((s) => eachSubschema(s, visit));
    else eachSubschema(sub, visit);
  }
  for (const key of SUBSCHEMA_LIST_KEYWORDS) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s) => eachSubschema(s, visit));
  }
  for (const key of SUBSCHEMA_MAP_KEYWORDS) {
    const map = schema[key];
    if (isObject(map)) Object.values(map).forEach((s) => eachSubschema(s, visit));
  }
}

function listJsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function loadSchema(schemasDir: string, file: string): UpstreamSchema {
  const path = relative(schemasDir, file).split(sep).join("/");
  const schema = JSON.parse(readFileSync(file, "utf8")) as unknown;
  if (!isObject(schema)) throw new Error(`upstream schema ${path} is not an object`);
  const id = schema["$id"];
  if (typeof id !== "string" || id === "") throw new Error(`upstream schema ${path} has no $id`);
  const draft = (Object.keys(DRAFT_URIS) as UpstreamDraft[]).find((d) => DRAFT_URIS[d] === schema["$schema"]);
  if (draft === undefined) throw new Error(`upstream schema ${path} declares unsupported $schema ${String(schema["$schema"])}`);
  const refs = new Set<string>();
  eachSubschema(schema, (node) => {
    const ref = node["$ref"];
    if (typeof ref === "string" && !ref.startsWith("#")) refs.add(new URL(ref, id).href.replace(/#.*$/, ""));
  });
  return { path, id, draft, schema, refs: [...refs] };
}

/**
 * A schema `$ref`d across drafts is evaluated by the referencing draft's Ajv under a copy that declares that
 * draft; this is sound only when it uses no keyword whose meaning differs between the drafts, so that is checked.
 */
function transplant(target: UpstreamSchema, into: UpstreamDraft): AnySchemaObject {
  eachSubschema(target.schema, (node) => {
    const clash =
      DRAFT_ONLY_KEYWORDS[target.draft].find((k) => k in node) ??
      (target.draft === "draft-07" && Array.isArray(node["items"]) ? "items (tuple form)" : undefined);
    if (clash !== undefined) {
      throw new Error(`upstream schema ${target.path} (${target.draft}) is referenced from ${into} but uses ${clash}`);
    }
  });
  return { ...target.schema, $schema: DRAFT_URIS[into] };
}

function createAjv(draft: UpstreamDraft): Ajv | Ajv2020 {
  const ajv = draft === "2020-12" ? new Ajv2020(UPSTREAM_AJV_OPTIONS) : new Ajv(UPSTREAM_AJV_OPTIONS);
  formats.default(ajv);
  return ajv;
}

function describeError(error: ErrorObject): string {
  const at = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail = params["additionalProperty"] ?? params["allowedValue"] ?? params["allowedValues"];
  return `${at}: ${error.message ?? error.keyword}${detail === undefined ? "" : ` (${JSON.stringify(detail)})`}`;
}

function build(schemasDir: string): UpstreamSchemas {
  const schemas = listJsonFiles(schemasDir).map((file) => loadSchema(schemasDir, file));
  const byKey = new Map<string, UpstreamSchema>();
  for (const s of schemas) {
    if (byKey.has(s.id)) throw new Error(`upstream $id ${s.id} is declared by ${byKey.get(s.id)?.path} and ${s.path}`);
    byKey.set(s.id, s).set(s.path, s);
  }
  for (const s of schemas) {
    for (const ref of s.refs) {
      if (!byKey.has(ref)) throw new Error(`upstream schema ${s.path} references unknown schema ${ref}`);
    }
  }
  const get = (ref: string): UpstreamSchema => {
    const found = byKey.get(ref);
    if (found === undefined) throw new Error(`no upstream schema with $id or path ${ref}`);
    return found;
  };

  const instances: Readonly<Record<UpstreamDraft, Ajv | Ajv2020>> = {
    "draft-07": createAjv("draft-07"),
    "2020-12": createAjv("2020-12"),
  };
  const added: Readonly<Record<UpstreamDraft, Set<string>>> = { "draft-07": new Set(), "2020-12": new Set() };
  // Every schema goes into its own draft's instance, together with whatever it reaches through $ref.
  const add = (draft: UpstreamDraft, s: UpstreamSchema): void => {
    if (added[draft].has(s.id)) return;
    added[draft].add(s.id);
    instances[draft].addSchema(s.draft === draft ? s.schema : transplant(s, draft));
    for (const ref of s.refs) add(draft, get(ref));
  };
  for (const s of schemas) add(s.draft, s);

  const validator = (ref: string): ValidateFunction => {
    const s = get(ref);
    const fn = instances[s.draft].getSchema(s.id);
    if (fn === undefined) throw new Error(`upstream schema ${s.path} did not compile`);
    return fn;
  };
  return {
    schemas,
    get,
    validator,
    validate(ref, value) {
      const fn = validator(ref);
      return fn(value) ? { ok: true, errors: [] } : { ok: false, errors: (fn.errors ?? []).map(describeError) };
    },
  };
}

const cache = new Map<string, UpstreamSchemas>();

/** All upstream schemas under `<clawsig>/schemas`, loaded once per folder. */
export function upstreamAjv(options?: ClawsigDirOptions): UpstreamSchemas {
  const schemasDir = join(clawsigDir(options), "schemas");
  let built = cache.get(schemasDir);
  if (built === undefined) {
    built = build(schemasDir);
    cache.set(schemasDir, built);
  }
  return built;
}

/** Validates `value` against the upstream schema at `relPath` (e.g. `poh/gateway_receipt.v1.json`) or `$id`. */
export function validateUpstream(relPath: string, value: unknown): UpstreamResult {
  return upstreamAjv().validate(relPath, value);
}
