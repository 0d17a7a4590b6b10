/**
 * OpenClaw's config for one run behind the clawea gateway (see docs/OPENCLAW.md in the shared docs):
 * one provider, `clawea`, whose base URL is the gateway's model API and whose only credential is the
 * run's CST in `X-CST`; no other provider (`models.mode: "replace"`), no utility model, no update
 * checks or telemetry; tools cut down to what the WPC lets a run do. Pure: no I/O, no env.
 */

/** The one provider OpenClaw knows: the gateway. Models are `clawea/<gateway model>`, e.g. `clawea/openai/gpt-4.1`. */
export const OPENCLAW_PROVIDER_ID = "clawea";

export const TOOLS_PROFILES = ["minimal", "coding", "messaging", "full"] as const;
export type ToolsProfile = (typeof TOOLS_PROFILES)[number];

export const EXEC_MODES = ["deny", "allowlist", "ask", "auto", "full"] as const;
export type ExecMode = (typeof EXEC_MODES)[number];

export interface OpenclawConfigOptions {
  /** The gateway's model API as the sandbox reaches it (ends in `/v1`), or `${CLAWEA_GATEWAY_URL}` for OpenClaw to read from its env. */
  gatewayBaseUrl: string;
  /** The run's CST, sent as `X-CST` (and nothing else); `${CLAWEA_CST}` keeps it out of the file. */
  cst: string;
  /** The gateway's model name, `<provider>/<model>` (e.g. `scripted/scripted-1`). */
  model: string;
  toolsProfile: ToolsProfile;
  /** `tools.allow`: when given, only these tools (ids or `group:*`) remain of the profile. */
  allowTools?: readonly string[];
  /** `tools.deny`, added to the defaults (deny wins over allow). */
  denyTools?: readonly string[];
  /** `tools.exec.mode`; `deny` unless a caller opts in. */
  execMode?: ExecMode;
  /** Static headers on every model call (e.g. `X-Run-Id`). */
  headers?: Readonly<Record<string, string>>;
  /** The model's output cap (OpenClaw sends it as `max_completion_tokens`, which the gateway counts against the run's budget before the call). */
  maxOutputTokens?: number;
  contextWindow?: number;
}

export interface OpenclawConfig {
  models: {
    mode: "replace";
    providers: Record<
      string,
      {
        baseUrl: string;
        api: "openai-completions";
        request: { auth: { mode: "header"; headerName: "X-CST"; value: string }; headers?: Record<string, string> };
        models: { id: string; name: string; maxTokens?: number; contextWindow?: number }[];
      }
    >;
  };
  agents: { defaults: { model: { primary: string }; utilityModel: "" } };
  update: { checkOnStart: false };
  telemetry: { enabled: false };
  tools: { profile: ToolsProfile; allow?: string[]; deny: string[]; exec: { mode: ExecMode } };
}

/**
 * Tool groups a headless, governed run never gets whatever the WPC says: they need a person or a
 * channel (UI, nodes, messaging, ask_user), act outside the run (automation, sessions and subagents,
 * plugins), or call model providers other than through the gateway's `clawea` route (media
 * generation, memory embeddings).
 */
export const ALWAYS_DENIED_TOOLS: readonly string[] = [
  "group:ui",
  "group:nodes",
  "group:messaging",
  "group:automation",
  "group:sessions",
  "group:agents",
  "group:media",
  "group:memory",
  "group:plugins",
];

/** File tools that change files (`read` and `ls` stay). `apply_patch` is a tool of its own: `write` alone does not cover it. */
export const FILE_WRITE_TOOLS: readonly string[] = ["write", "edit", "apply_patch"];

/** What a WPC permits a run to do, as far as OpenClaw's tools are concerned. */
export interface SideEffectPermissions {
  /** Some Allow rule permits `side_effect:network_egress` (through the gateway's egress proxy). */
  networkEgress: boolean;
  /** Some Allow rule permits `side_effect:filesystem_write`. */
  filesystemWrite: boolean;
  /** Shell commands; no WPC action grants them, so only a caller's explicit choice does. */
  exec?: boolean;
}

/**
 * WPC permissions to OpenClaw tool rules: no `group:web` unless egress is allowed, no file-changing
 * tools unless filesystem writes are allowed, no `group:runtime` and exec mode `deny` unless exec is
 * explicitly allowed (then `allowlist`), and never the groups in `ALWAYS_DENIED_TOOLS`. The gateway
 * and the plan's workspace diff still decide every side effect: this only keeps OpenClaw from
 * offering the model tools that could only be refused.
 */
export function toolRulesFor(permissions: SideEffectPermissions): { denyTools: string[]; execMode: ExecMode } {
  const deny = [...ALWAYS_DENIED_TOOLS];
  if (!permissions.networkEgress) deny.push("group:web");
  if (!permissions.filesystemWrite) deny.push(...FILE_WRITE_TOOLS);
  if (permissions.exec !== true) deny.push("group:runtime");
  return { denyTools: deny, execMode: permissions.exec === true ? "allowlist" : "deny" };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function isToolsProfile(value: unknown): value is ToolsProfile {
  return typeof value === "string" && (TOOLS_PROFILES as readonly string[]).includes(value);
}

export function openclawConfig(options: OpenclawConfigOptions): OpenclawConfig {
  if (!/^[^/\s]+\/\S+$/.test(options.model)) throw new Error(`model must be <provider>/<model> as the gateway names it, got ${JSON.stringify(options.model)}`);
  if (options.cst === "") throw new Error("cst must not be empty");
  if (!isToolsProfile(options.toolsProfile)) throw new Error(`toolsProfile must be one of ${TOOLS_PROFILES.join(", ")}`);
  const model: OpenclawConfig["models"]["providers"][string]["models"][number] = { id: options.model, name: options.model };
  if (options.maxOutputTokens !== undefined) model.maxTokens = options.maxOutputTokens;
  if (options.contextWindow !== undefined) model.contextWindow = options.contextWindow;
  const request: OpenclawConfig["models"]["providers"][string]["request"] = { auth: { mode: "header", headerName: "X-CST", value: options.cst } };
  if (options.headers !== undefined && Object.keys(options.headers).length > 0) request.headers = { ...options.headers };
  const tools: OpenclawConfig["tools"] = {
    profile: options.toolsProfile,
    deny: unique([...ALWAYS_DENIED_TOOLS, ...(options.denyTools ?? [])]),
    exec: { mode: options.execMode ?? "deny" },
  };
  if (options.allowTools !== undefined) tools.allow = unique(options.allowTools);
  return {
    models: {
      mode: "replace",
      providers: { [OPENCLAW_PROVIDER_ID]: { baseUrl: options.gatewayBaseUrl.replace(/\/+$/, ""), api: "openai-completions", request, models: [model] } },
    },
    agents: { defaults: { model: { primary: `${OPENCLAW_PROVIDER_ID}/${options.model}` }, utilityModel: "" } },
    update: { checkOnStart: false },
    telemetry: { enabled: false },
    tools,
  };
}

/** The config file's text (JSON, which is JSON5). */
export function renderOpenclawConfig(options: OpenclawConfigOptions): string {
  return `${JSON.stringify(openclawConfig(options), null, 2)}\n`;
}
