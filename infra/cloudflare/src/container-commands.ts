/**
 * What the bridge runs inside a sandbox's container, as shell text for the Sandbox SDK's `exec`
 * (which takes one command string): argv quoting, the exec wrapper (timeout, stdin, process-group
 * tracking so `stop` can kill it), workspace path checks, usage probes, and the gateway environment.
 */
import type { SandboxSpecWire } from "./protocol.js";

/** Where things are in the container. A parameter so the scripts can be run for real against a temporary directory in tests. */
export interface Layout {
  /** The workspace: the Cloudflare sandbox image's working directory (every sandbox is its own container). */
  workspace: string;
  /** Bridge bookkeeping (exec process groups, stdin files), outside the workspace. */
  runDir: string;
}

export const CONTAINER_LAYOUT: Layout = { workspace: "/workspace", runDir: "/run/clawea" };
/** Exit codes of the path checks. */
export const PATH_ESCAPES = 3;
export const PATH_MISSING = 4;
/** What a shell reports for a child killed with SIGKILL. */
export const KILLED_EXIT = 137;
/** Where Cloudflare puts the CA that re-signs intercepted HTTPS (the container must trust it to reach an https gateway). */
export const INTERCEPT_CA = "/etc/cloudflare/certs/cloudflare-containers-ca.crt";

export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function workspacePath(layout: Layout, segments: readonly string[]): string {
  return segments.length === 0 ? layout.workspace : `${layout.workspace}/${segments.join("/")}`;
}

export function setupScript(layout: Layout): string {
  return `mkdir -p ${shellQuote(layout.workspace)} ${shellQuote(`${layout.runDir}/exec`)}`;
}

/**
 * Runs argv under coreutils `timeout` in the background (its own process group, recorded so `stop`
 * can kill the whole tree), stdin from a file or /dev/null, and exits with the command's status.
 * `timeout -s KILL 0` means no time limit.
 */
export function execScript(layout: Layout, argv: readonly string[], options: { execId: string; timeoutMs: number | null; stdinPath: string | null }): string {
  const seconds = options.timeoutMs === null ? "0" : `${(options.timeoutMs / 1000).toFixed(3)}s`;
  const execDir = shellQuote(`${layout.runDir}/exec`);
  const pidFile = shellQuote(`${layout.runDir}/exec/${options.execId}`);
  const stdin = options.stdinPath === null ? "/dev/null" : shellQuote(options.stdinPath);
  const cleanup = options.stdinPath === null ? pidFile : `${pidFile} ${stdin}`;
  return [
    `mkdir -p ${execDir} || exit 125`,
    `timeout -s KILL ${seconds} ${argv.map(shellQuote).join(" ")} < ${stdin} &`,
    `p=$!; echo "$p" > ${pidFile}`,
    // Redirected so bash's "Killed" job notice does not land in the command's stderr.
    `wait "$p" 2>/dev/null; rc=$?`,
    `rm -f -- ${cleanup}`,
    `exit "$rc"`,
  ].join("\n");
}

/** Kills every exec the bridge started (each is a process group) and forgets them. */
export function killExecsScript(layout: Layout): string {
  return [
    `for f in ${shellQuote(`${layout.runDir}/exec`)}/*; do`,
    `  [ -f "$f" ] || continue`,
    // A negative pid is the process group; dash's builtin kill refuses `--` here.
    `  kill -KILL "-$(cat "$f")" 2>/dev/null`,
    `  rm -f -- "$f"`,
    `done`,
    `exit 0`,
  ].join("\n");
}

/**
 * Checks a workspace path without following symlinks: no component may be a symlink, intermediate
 * components must be directories; for "read" the target must be a regular file, for "write" the
 * parents are created and the target must not be a directory.
 */
export function pathCheckScript(layout: Layout, segments: readonly string[], mode: "read" | "write"): string {
  const root = shellQuote(layout.workspace);
  const lines = [`[ -L ${root} ] && exit ${PATH_ESCAPES}`, `c=${root}`];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    lines.push(`c="$c/"${shellQuote(segment)}`, `[ -L "$c" ] && exit ${PATH_ESCAPES}`);
    if (!last) lines.push(`[ -e "$c" ] && [ ! -d "$c" ] && exit ${PATH_ESCAPES}`);
  });
  if (mode === "read") {
    lines.push(`[ -f "$c" ] || exit ${PATH_MISSING}`);
  } else {
    lines.push(`[ -d "$c" ] && exit ${PATH_MISSING}`, `mkdir -p -- "$(dirname -- "$c")" || exit ${PATH_MISSING}`);
  }
  lines.push("exit 0");
  return lines.join("\n");
}

/** Prints `{"cpu_usec":N,"memory_bytes":N}`: each from cgroup v2, else cgroup v1, else the whole machine from /proc (USER_HZ 100). */
export const STATS_SCRIPT = [
  "u=$(awk '/^usage_usec/ {print $2}' /sys/fs/cgroup/cpu.stat 2>/dev/null)",
  "[ -z \"$u\" ] && [ -r /sys/fs/cgroup/cpuacct/cpuacct.usage ] && u=$(( $(cat /sys/fs/cgroup/cpuacct/cpuacct.usage) / 1000 ))",
  "[ -z \"$u\" ] && u=$(awk '/^cpu / {printf \"%d\", ($2 + $3 + $4) * 10000}' /proc/stat)",
  "m=$(cat /sys/fs/cgroup/memory.current 2>/dev/null)",
  "[ -z \"$m\" ] && m=$(cat /sys/fs/cgroup/memory/memory.usage_in_bytes 2>/dev/null)",
  "[ -z \"$m\" ] && m=$(awk '/^MemTotal:/ {t = $2} /^MemAvailable:/ {a = $2} END {printf \"%d\", (t - a) * 1024}' /proc/meminfo)",
  `printf '{"cpu_usec":%s,"memory_bytes":%s}\\n' "\${u:-0}" "\${m:-0}"`,
].join("\n");

export function parseStatsOutput(stdout: string): { cpuMillisUsed: number; memoryBytes: number } | null {
  try {
    const parsed = JSON.parse(stdout.trim()) as { cpu_usec?: unknown; memory_bytes?: unknown };
    if (typeof parsed.cpu_usec !== "number" || typeof parsed.memory_bytes !== "number") return null;
    return { cpuMillisUsed: Math.floor(parsed.cpu_usec / 1000), memoryBytes: parsed.memory_bytes };
  } catch {
    return null;
  }
}

function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The gateway as the sandbox sees it: model API and egress proxy, both as given (the container reaches them through Cloudflare's egress allowlist). */
export function gatewayEnv(gateway: SandboxSpecWire["gateway"]): Record<string, string> {
  const model = new URL(gateway.model_url);
  const modelUrl = `${origin(model)}${model.pathname === "/" ? "" : model.pathname}`;
  const proxy = origin(new URL(gateway.egress_proxy_url));
  return {
    CLAWEA_GATEWAY_URL: modelUrl,
    OPENAI_BASE_URL: modelUrl,
    CLAWEA_EGRESS_PROXY_URL: proxy,
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    // Model calls go straight to the gateway's model API, not through its egress proxy.
    NO_PROXY: model.hostname,
    no_proxy: model.hostname,
    // Cloudflare re-signs intercepted HTTPS; Node does not read the system store, so it is told of the CA.
    ...(model.protocol === "https:" || gateway.egress_proxy_url.startsWith("https:") ? { NODE_EXTRA_CA_CERTS: INTERCEPT_CA } : {}),
  };
}

/** The only hosts the container may reach (Cloudflare's `allowedHosts` match hostnames, not ports). */
export function egressHosts(gateway: SandboxSpecWire["gateway"]): string[] {
  return [...new Set([new URL(gateway.model_url).hostname, new URL(gateway.egress_proxy_url).hostname])];
}

/** The environment of one exec: the spec's, the caller's, then the gateway's and ours, which the caller cannot override. */
export function execEnv(layout: Layout, sandboxId: string, spec: SandboxSpecWire, callerEnv: Record<string, string>): Record<string, string> {
  return {
    ...spec.env,
    ...callerEnv,
    ...gatewayEnv(spec.gateway),
    CLAWEA_WORKSPACE: layout.workspace,
    CLAWEA_SANDBOX_ID: sandboxId,
    LANG: "C.UTF-8",
  };
}
