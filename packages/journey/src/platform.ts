/**
 * The platform a journey runs on: the one already listening at the control plane URL, or one this
 * process starts (`pnpm start`'s devstack) for its own duration and stops afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Platform {
  url: string;
  bootstrapKey: string;
  /** True when this process started it (and `stop` stops it). */
  started: boolean;
  output(): string;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  root: string;
  url: string;
  devDir: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines while the platform starts. */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

function bootstrapKeyFrom(devDir: string, env: NodeJS.ProcessEnv): string {
  if (env.CLAWEA_BOOTSTRAP_KEY) return env.CLAWEA_BOOTSTRAP_KEY;
  const path = join(devDir, "dev-keys.json");
  try {
    const keys = JSON.parse(readFileSync(path, "utf8")) as { bootstrapKey?: unknown };
    if (typeof keys.bootstrapKey === "string") return keys.bootstrapKey;
  } catch {
    // reported below
  }
  throw new Error(`a platform is running but its bootstrap key is neither in CLAWEA_BOOTSTRAP_KEY nor in ${path}`);
}

export async function ensurePlatform(options: PlatformOptions): Promise<Platform> {
  const env = { ...process.env, ...options.env, CLAWEA_DEV_DIR: options.devDir };
  if (await ready(options.url)) {
    return { url: options.url, bootstrapKey: bootstrapKeyFrom(options.devDir, env), started: false, output: () => "", stop: async () => undefined };
  }
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(options.root, "packages/devstack/src/main.ts")], {
    cwd: options.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let partial = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    partial += text;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("[start]")) options.onLine?.(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const deadline = Date.now() + (options.startTimeoutMs ?? 300_000);
  let exited = false;
  void closed.then(() => (exited = true));
  while (!output.includes("clawea is up")) {
    if (exited) throw new Error(`the platform did not start:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGINT");
      throw new Error(`the platform was not up within ${(options.startTimeoutMs ?? 300_000) / 1000}s:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: options.url,
    bootstrapKey: bootstrapKeyFrom(options.devDir, env),
    started: true,
    output: () => output,
    async stop() {
      if (!exited) child.kill("SIGINT");
      await closed;
    },
  };
}
