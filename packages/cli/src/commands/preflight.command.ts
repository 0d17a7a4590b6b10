/**
 * `clawea preflight`: would this scope be allowed under this WPC? Offline from a WPC file (a CI step, no
 * network), or online against the tenant's registry. Exit 0 allowed, 1 denied, 2 bad input.
 */
import { parseArgs } from "node:util";
import { decideScope, resolvePolicy, scopeIntents, type PreflightScope, type ScopeIntent } from "@clawea/policy";
import { isRfc3339 } from "@clawea/protocol";
import { ClaweaApiError, createClaweaClient, unwrap, type components, type operations } from "@clawea/sdk";
import { EXIT, UsageError, type CliIo, type ExitStatus } from "../io.js";
import { readJson } from "../read-json.js";

/** The scope file is the API's `PreflightScope`, and the report the API's answer: one format for both paths. */
type Scope = components["schemas"]["PreflightScope"];
type Report = operations["preflight"]["responses"][200]["content"]["application/json"];

export const PREFLIGHT_USAGE = `usage: clawea preflight --policy WPC.json --scope SCOPE.json [--parent WPC.json]... [--now TIME] [--json]
       clawea preflight --policy-hash HASH --scope SCOPE.json [--api URL] [--api-key KEY] [--now TIME] [--json]

  --policy F       the WPC (v1 or v2) to decide under, offline: no network
  --parent F       a policy that --policy inherits, matched by policy_id (repeatable; for one policy_id,
                   the last file given stands for the registry's newest document)
  --policy-hash H  a policy of the tenant's registry, decided by the API (POST /v1/preflight)
  --api URL        the clawea API (or CLAWEA_URL); --api-key KEY (or CLAWEA_TOKEN)
  --scope F        what the job means to do: {"model_calls": [{provider, model, model_identity_tier?, estimated_tokens?}],
                   "egress": [{url, method?} | {scheme, host, port?, method?}], "side_effects": [{kind, target, summary?}]}
                   For the gateway's answer, give a model call the tier its provider route declares and the
                   gateway's estimate: output cap (max_tokens...) + ceil(prompt characters / 4)
  --now TIME       decide as of this RFC 3339 time (default: now)
  --json           print {allowed, reason_codes, decisions, policy_hash_b64u, evaluated_at}

Decided as the gateway decides the apply phase of a run whose approval granted exactly the scope's side effects.
exit status: 0 allowed, 1 denied, 2 unreadable file, invalid WPC or scope, bad arguments, unreachable API`;

/** Bad input with the reason code a script reads; exit status 2. */
class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const SCOPE_LISTS = ["model_calls", "egress", "side_effects"] as const;
const FIELDS: Record<(typeof SCOPE_LISTS)[number], readonly string[]> = {
  model_calls: ["provider", "model", "model_identity_tier", "estimated_tokens"],
  egress: ["url", "scheme", "host", "port", "method"],
  side_effects: ["kind", "target", "summary"],
};
const MAX_INTENTS = 256;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The scope's shape: lists of objects without unknown members, as the API's schema admits. The values
 * themselves (names, hosts, ports, kinds, targets) are the decision function's to judge.
 */
function readScope(value: unknown): Scope {
  const problem = (path: string, message: string) => new InputError("POLICY_REQUEST_INVALID", `scope${path}: ${message}`, [{ path, message }]);
  if (!isObject(value)) throw problem("", "must be an object");
  for (const key of Object.keys(value)) if (!(SCOPE_LISTS as readonly string[]).includes(key)) throw problem(`/${key}`, "is not a scope list");
  for (const list of SCOPE_LISTS) {
    const items = value[list];
    if (items === undefined) continue;
    if (!Array.isArray(items) || items.length > MAX_INTENTS) throw problem(`/${list}`, `must be an array of at most ${MAX_INTENTS} items`);
    items.forEach((item: unknown, i) => {
      if (!isObject(item)) throw problem(`/${list}/${i}`, "must be an object");
      for (const key of Object.keys(item)) if (!FIELDS[list].includes(key)) throw problem(`/${list}/${i}/${key}`, "is not a field of this intent");
      if (list === "egress" && ("url" in item ? ["scheme", "host", "port"].some((k) => k in item) : !("scheme" in item && "host" in item))) {
        throw problem(`/${list}/${i}`, "must have url, or scheme and host (and port)");
      }
    });
  }
  return value as Scope;
}

/** The scope's requests, through the same mapping the API uses (`@clawea/policy`). */
function intentsOf(scope: Scope): ScopeIntent[] {
  const mapped = scopeIntents(scope as PreflightScope);
  if (!mapped.ok) throw new InputError("POLICY_REQUEST_INVALID", `scope${mapped.errors[0]!.path}: ${mapped.errors[0]!.message}`, mapped.errors);
  return mapped.intents;
}

async function offline(io: CliIo, policyFile: string, parentFiles: readonly string[], scope: Scope, now: string): Promise<Report> {
  const document = await readJson(io, policyFile);
  const parents = new Map<string, unknown>();
  for (const file of parentFiles) {
    const parent = await readJson(io, file);
    const id = isObject(parent) ? parent["policy_id"] : undefined;
    if (typeof id !== "string") throw new InputError("POLICY_INVALID", `${file}: a parent policy needs a policy_id`);
    parents.set(id, parent);
  }
  // The same resolution as the API's and the gateway's; the files stand in for the tenant's registry.
  const normalized = await resolvePolicy(document, (id) => parents.get(id));
  if (!normalized.ok) {
    const first = normalized.errors[0];
    throw new InputError(normalized.reason_code, `${policyFile}: ${first?.path || "/"} ${first?.message ?? ""}`, normalized.errors);
  }
  const outcome = decideScope(normalized.policy, intentsOf(scope), now);
  if (!outcome.ok) throw new InputError("POLICY_REQUEST_INVALID", `scope${outcome.errors[0]!.path}: ${outcome.errors[0]!.message}`, outcome.errors);
  return outcome.report;
}

async function online(io: CliIo, hash: string, scope: Scope, now: string, values: { api?: string | undefined; "api-key"?: string | undefined }): Promise<Report> {
  const baseUrl = values.api ?? io.env("CLAWEA_URL");
  const token = values["api-key"] ?? io.env("CLAWEA_TOKEN");
  if (!baseUrl) throw new UsageError("USAGE", "--policy-hash needs the API: pass --api or set CLAWEA_URL");
  if (!token) throw new UsageError("USAGE", "--policy-hash needs a key: pass --api-key or set CLAWEA_TOKEN");
  try {
    return unwrap(await createClaweaClient({ baseUrl, token }).POST("/v1/preflight", { body: { policy_hash: hash, scope, now } }));
  } catch (error) {
    if (error instanceof ClaweaApiError) {
      const errors = Array.isArray(error.problem["errors"]) ? (error.problem["errors"] as { path: string; message: string }[]) : [];
      throw new InputError(error.reasonCode, `the API answered ${error.status}: ${String(error.problem["detail"] ?? "")}`, errors);
    }
    if (error instanceof TypeError) throw new UsageError("INPUT_UNREADABLE", `the API is unreachable: ${error.message}`);
    throw error;
  }
}

function summary(report: Report): string {
  const lines = [`PREFLIGHT ${report.allowed ? "ALLOWED" : `DENIED (${report.reason_codes.join(", ")})`}  policy ${report.policy_hash_b64u}  at ${report.evaluated_at}`];
  for (const d of report.decisions) {
    const what = `${d.scope_path}  ${d.kind ?? d.type} ${d.target}`;
    lines.push(d.effect === "allow" ? `  allow  ${what}` : `  deny   ${what}  ${d.reason_code ?? ""}: ${d.detail ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function preflightCommand(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      policy: { type: "string" },
      parent: { type: "string", multiple: true, default: [] },
      "policy-hash": { type: "string" },
      api: { type: "string" },
      "api-key": { type: "string" },
      scope: { type: "string" },
      now: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const hash = values["policy-hash"];
  if (positionals.length > 0 || values.scope === undefined || (values.policy === undefined) === (hash === undefined)) {
    throw new UsageError("USAGE", PREFLIGHT_USAGE);
  }
  if (hash !== undefined && values.parent.length > 0) throw new UsageError("USAGE", "--parent goes with --policy; the API finds a registered policy's parents itself");
  const now = values.now ?? io.now();
  if (!isRfc3339(now)) throw new UsageError("USAGE", `--now must be an RFC 3339 time, got ${now}`);

  let report: Report;
  try {
    const scope = readScope(await readJson(io, values.scope));
    report = hash === undefined ? await offline(io, values.policy!, values.parent, scope, now) : await online(io, hash, scope, now, values);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr(`clawea preflight: ${error.code}: ${error.message}\n`);
    for (const e of error.errors.slice(1)) io.stderr(`  ${e.path || "/"}: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
  return report.allowed ? EXIT.VALID : EXIT.INVALID;
}
