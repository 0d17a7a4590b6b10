#!/usr/bin/env node
/**
 * `pnpm start`: checks PostgreSQL and Redis, creates or reuses dev keys, builds, applies migrations once,
 * then runs control plane, gateway and data plane (one child each, output prefixed) until Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPostgres, checkRedis } from "./checks.js";
import { diagnosis, type Failure } from "./diagnose.js";
import { DevKeysError, parseKeysFile, resolveDevKeys, type DevKeys } from "./keys.js";
import { createLinePrefixer } from "./prefix.js";
import { SERVICES, StackConfigError, serviceCommand, serviceEnv, stackConfig, stackUrls, type ServiceName } from "./stack.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const GRACE_MS = 15_000;
const READY_TIMEOUT_MS = 60_000;

function say(text: string): void {
  process.stdout.write(`[start] ${text}\n`);
}

function die(text: string, code = 1): never {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  process.exit(code);
}

function loadKeys(devDir: string): { keys: DevKeys; path: string; bootstrapFrom: "env" | "file" } {
  const path = join(devDir, "dev-keys.json");
  let stored: Partial<DevKeys> = {};
  let text: string | null = null;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") die(`clawea: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    if (text !== null) stored = parseKeysFile(text, path);
  } catch (error) {
    if (error instanceof DevKeysError) die(`clawea: ${error.message}`);
    throw error;
  }
  const resolved = resolveDevKeys(process.env, stored, () => randomBytes(32).toString("base64url"));
  if (resolved.fileContent) {
    mkdirSync(devDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, JSON.stringify(resolved.fileContent, null, 2) + "\n", { mode: 0o600 });
    chmodSync(path, 0o600);
    say(`dev keys created in ${path} (mode 0600)`);
  }
  return { keys: resolved.keys, path, bootstrapFrom: resolved.source.bootstrapKey === "env" ? "env" : "file" };
}

/** Runs a command to completion, quietly; its output is shown only when it fails. */
function runQuietly(what: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) die(`clawea: ${what} could not run (${command}): ${result.error.message}`);
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    die(`clawea: ${what} failed (exit ${result.status ?? result.signal}); its output is above`);
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

async function waitUntilOk(url: string, deadline: number, stopped: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !stopped()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function main(): Promise<void> {
  const devDir = resolve(process.env.CLAWEA_DEV_DIR || join(ROOT, ".clawea"));
  let config;
  try {
    config = stackConfig(process.env, devDir);
  } catch (error) {
    if (error instanceof StackConfigError) die(`clawea: ${error.message}`, 2);
    throw error;
  }

  // 1. PostgreSQL and Redis.
  const [postgres, redisFailure] = await Promise.all([checkPostgres(config.databaseUrl), checkRedis(config.redisUrl)]);
  const failures = [postgres.failure, redisFailure].filter((f): f is Failure => f !== null);
  if (failures.length > 0) die(diagnosis(failures));
  if (postgres.created) say(`created database "${postgres.created}"`);

  // 2. Build (quietly), then keys (the DIDs come from @clawea/protocol, which the build produces).
  if (process.env.CLAWEA_START_SKIP_BUILD !== "1") {
    say("building control plane, gateway and data plane…");
    runQuietly("the build", "pnpm", [
      "turbo", "run", "build",
      "--filter=@clawea/control-plane...", "--filter=@clawea/gateway...", "--filter=@clawea/data-plane...", "--filter=@clawea/reference-agent...",
      "--output-logs=errors-only",
    ]);
  }
  const { keys, path: keysPath, bootstrapFrom } = loadKeys(devDir);
  const { b64uDecode, keyPairFromSeed } = await import("@clawea/protocol");
  const didOf = (seed: string, name: string): string => {
    try {
      return keyPairFromSeed(b64uDecode(seed)).did;
    } catch {
      die(`clawea: ${name} must be a 32-byte Ed25519 seed, base64url`, 2);
    }
  };
  const dids = {
    controlPlane: didOf(keys.controlPlaneSigningKey, "CLAWEA_CONTROL_PLANE_SIGNING_KEY"),
    gateway: didOf(keys.gatewaySigningKey, "CLAWEA_GATEWAY_SIGNING_KEY"),
    dataPlane: didOf(keys.dataPlaneSigningKey, "CLAWEA_DATA_PLANE_SIGNING_KEY"),
  };

  // 3. Migrations, once.
  runQuietly("applying migrations", process.execPath, [join(ROOT, "packages/db/dist/migrate.main.js")], { ...process.env, DATABASE_URL: config.databaseUrl });
  say("migrations applied");

  // 4. The services, one child each.
  mkdirSync(config.sandboxRoot, { recursive: true });
  const children = new Map<ServiceName, ChildProcess>();
  const exited = new Map<ServiceName, Promise<void>>();
  let stopping = false;
  let exitCode = 0;

  const stopAll = async (signal: NodeJS.Signals, code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      exitCode = code;
      const alive = [...children.entries()].filter(([, child]) => child.exitCode === null && child.signalCode === null);
      if (alive.length > 0) say(`stopping ${alive.map(([name]) => name).join(", ")} (${signal})…`);
      for (const [, child] of alive) child.kill(signal);
      const grace = setTimeout(() => {
        for (const [name, child] of alive) {
          if (child.exitCode === null && child.signalCode === null) {
            say(`${name} did not stop within ${GRACE_MS / 1000}s; killing it`);
            child.kill("SIGKILL");
          }
        }
      }, GRACE_MS);
      await Promise.all(exited.values());
      clearTimeout(grace);
      say("all services stopped");
      process.exit(exitCode);
    }
    return new Promise<never>(() => undefined);
  };
  process.on("SIGINT", () => void stopAll("SIGINT", 0));
  process.on("SIGTERM", () => void stopAll("SIGTERM", 0));

  for (const name of SERVICES) {
    const command = serviceCommand(name, config);
    const child = spawn(process.execPath, [join(ROOT, command.script), ...command.args], {
      cwd: ROOT,
      env: serviceEnv(name, process.env, config, keys, dids),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.set(name, child);
    const out = createLinePrefixer(`[${name}]`, (text) => process.stdout.write(text));
    const err = createLinePrefixer(`[${name}]`, (text) => process.stderr.write(text));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => out.push(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => err.push(chunk));
    exited.set(
      name,
      new Promise<void>((done) => {
        child.on("close", (code, signal) => {
          out.flush();
          err.flush();
          if (!stopping) {
            process.stderr.write(`[start] ${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping the others\n`);
            void stopAll("SIGTERM", 1);
          } else {
            say(`${name} stopped (${signal ?? `exit code ${code}`})`);
          }
          done();
        });
        child.on("error", (error) => {
          process.stderr.write(`[start] ${name} could not start: ${error.message}\n`);
          if (!stopping) void stopAll("SIGTERM", 1);
          done();
        });
      }),
    );
    say(`started ${name} (pid ${child.pid})`);
  }

  const urls = stackUrls(config);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const [controlPlaneReady, gatewayReady] = await Promise.all([
    waitUntilOk(`${urls.controlPlane}/readyz`, deadline, () => stopping),
    waitUntilOk(`http://${new URL(urls.gatewayModel).host}/healthz`, deadline, () => stopping),
  ]);
  if (stopping) return;
  if (!controlPlaneReady || !gatewayReady) {
    process.stderr.write(`[start] not ready after ${READY_TIMEOUT_MS / 1000}s: ${!controlPlaneReady ? "control plane /readyz " : ""}${!gatewayReady ? "gateway /healthz" : ""}\n`);
    await stopAll("SIGTERM", 1);
  }
  const where = bootstrapFrom === "env" ? "from CLAWEA_BOOTSTRAP_KEY (env)" : `in ${displayPath(keysPath)} (field bootstrapKey)`;
  process.stdout.write(
    [
      "",
      "clawea is up",
      `  control plane   ${urls.controlPlane}   (API docs ${urls.controlPlane}/docs)`,
      `  gateway model   ${urls.gatewayModel}`,
      `  gateway egress  ${urls.gatewayEgress}`,
      `  bootstrap key   ${where}`,
      `  scripted model  http://127.0.0.1:${config.scriptedModelPort}/v1  (gateway provider "scripted": model "scripted/scripted-1")`,
      `  control plane DID  ${dids.controlPlane}`,
      "Ctrl-C stops all services.",
      "",
    ].join("\n"),
  );
}

await main();
