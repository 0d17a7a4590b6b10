/**
 * The agent's environment contract, read once into a frozen object. The only module that looks at
 * environment variables.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export type RunPhase = "plan" | "apply";

/** Where the forward proxy listens and the `Proxy-Authorization` it takes. */
export interface ProxyTarget {
  host: string;
  port: number;
  authorization: string | null;
}

export interface AgentConfig {
  task: string;
  model: string;
  /** null when `CLAWEA_RUN_PHASE` is unset (a run without phases). */
  phase: RunPhase | null;
  maxSteps: number;
  /** `OPENAI_BASE_URL` (or `CLAWEA_GATEWAY_URL`) without a trailing slash; `/chat/completions` is appended. */
  modelBaseUrl: string;
  /** The run's capability token, sent as `Authorization: Bearer`; null only outside clawea. */
  token: string | null;
  proxies: { http: ProxyTarget | null; https: ProxyTarget | null };
  workspace: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_MAX_STEPS = 20;

class ConfigError extends Error {}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value);

function proxyTarget(name: string, raw: string, token: string | null): ProxyTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (url.protocol !== "http:") throw new ConfigError(`${name} must be an http:// forward proxy`);
  // The CST rides in the proxy URL (`http://run:<cst>@host:port`); without credentials there, CLAWEA_CST is used.
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const credentials = user !== "" || password !== "" ? `${user}:${password}` : token !== null ? `run:${token}` : null;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 80 : Number(url.port),
    authorization: credentials === null ? null : `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`,
  };
}

function firstProxy(env: Env, names: readonly string[], token: string | null): ProxyTarget | null {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return proxyTarget(name, value, token);
  }
  return null;
}

function readTask(env: Env, cwd: string): string {
  const inline = nonEmpty(env["CLAWEA_TASK"]);
  if (inline !== undefined) return inline;
  const file = nonEmpty(env["CLAWEA_TASK_FILE"]);
  if (file === undefined) throw new ConfigError("set CLAWEA_TASK or CLAWEA_TASK_FILE");
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (err) {
    throw new ConfigError(`CLAWEA_TASK_FILE cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (text.trim() === "") throw new ConfigError("CLAWEA_TASK_FILE is empty");
  return text;
}

function parseConfig(env: Env, cwd: string): AgentConfig {
  const task = readTask(env, cwd);
  const model = nonEmpty(env["CLAWEA_MODEL"]);
  if (model === undefined) throw new ConfigError("set CLAWEA_MODEL to the model name");

  const phaseRaw = nonEmpty(env["CLAWEA_RUN_PHASE"]);
  if (phaseRaw !== undefined && phaseRaw !== "plan" && phaseRaw !== "apply") throw new ConfigError("CLAWEA_RUN_PHASE must be plan or apply");

  const stepsRaw = nonEmpty(env["CLAWEA_MAX_STEPS"]);
  const maxSteps = stepsRaw === undefined ? DEFAULT_MAX_STEPS : Number(stepsRaw);
  if (!Number.isInteger(maxSteps) || maxSteps < 1 || maxSteps > 1000) throw new ConfigError("CLAWEA_MAX_STEPS must be an integer 1..1000");

  const base = nonEmpty(env["OPENAI_BASE_URL"]) ?? nonEmpty(env["CLAWEA_GATEWAY_URL"]);
  if (base === undefined) throw new ConfigError("set OPENAI_BASE_URL (or CLAWEA_GATEWAY_URL) to the model API base URL");
  let baseUrl: URL;
  try {
    baseUrl = new URL(base);
  } catch {
    throw new ConfigError("OPENAI_BASE_URL is not a URL");
  }
  if (baseUrl.protocol !== "http:" && baseUrl.protocol !== "https:") throw new ConfigError("OPENAI_BASE_URL must be http(s)");

  const token = nonEmpty(env["CLAWEA_CST"]) ?? nonEmpty(env["OPENAI_API_KEY"]) ?? null;
  const httpProxy = firstProxy(env, ["HTTP_PROXY", "http_proxy", "CLAWEA_EGRESS_PROXY_URL", "HTTPS_PROXY", "https_proxy"], token);
  const httpsProxy = firstProxy(env, ["HTTPS_PROXY", "https_proxy", "CLAWEA_EGRESS_PROXY_URL", "HTTP_PROXY", "http_proxy"], token);

  return Object.freeze({
    task,
    model,
    phase: phaseRaw ?? null,
    maxSteps,
    modelBaseUrl: baseUrl.href.replace(/\/+$/, ""),
    token,
    proxies: Object.freeze({ http: httpProxy, https: httpsProxy }),
    workspace: cwd,
  });
}

export function loadConfig(env: Env, cwd: string): { ok: true; config: AgentConfig } | { ok: false; detail: string } {
  try {
    return { ok: true, config: parseConfig(env, cwd) };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, detail: err.message };
    throw err;
  }
}
