/**
 * Workspace operations that run inside the sandbox, as one small Node program passed with `node -e`,
 * so every provider (local namespaces, Cloudflare) does them the same way and the data plane never
 * touches a sandbox's files from outside. Scratch copies live under `.clawea-runs/<run>/<phase>` in
 * the workspace and are left out of every listing and copy.
 */
import type { SandboxProvider } from "../sandbox/sandbox.provider.js";

export const SCRATCH_ROOT = ".clawea-runs";

const SOURCE = String.raw`
const fs = require("node:fs"), path = require("node:path"), crypto = require("node:crypto");
const [cmd, a, b] = process.argv.slice(1);
const SKIP = ${JSON.stringify(SCRATCH_ROOT)};
const walk = (dir, rel, out) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (rel === "" && e.name === SKIP) continue;
    const p = path.join(dir, e.name), r = rel === "" ? e.name : rel + "/" + e.name;
    if (e.isDirectory()) walk(p, r, out);
    else if (e.isFile()) { const bytes = fs.readFileSync(p); out.push({ path: r, sha256_b64u: crypto.createHash("sha256").update(bytes).digest("base64url"), size_bytes: bytes.length }); }
  }
  return out;
};
if (cmd === "prepare") {
  fs.rmSync(a, { recursive: true, force: true });
  fs.mkdirSync(a, { recursive: true });
  for (const e of fs.readdirSync(".")) if (e !== SKIP) fs.cpSync(e, path.join(a, e), { recursive: true });
} else if (cmd === "manifest") {
  process.stdout.write(JSON.stringify(walk(a, "", []).sort((x, y) => (x.path < y.path ? -1 : 1))));
} else if (cmd === "apply") {
  for (const c of JSON.parse(b)) {
    if (c.change === "deleted") fs.rmSync(c.path, { force: true });
    else { fs.mkdirSync(path.dirname(c.path), { recursive: true }); fs.copyFileSync(path.join(a, c.path), c.path); }
  }
} else if (cmd === "cleanup") {
  fs.rmSync(a, { recursive: true, force: true });
} else { process.stderr.write("unknown command"); process.exit(2); }
`;

export interface FileEntry {
  path: string;
  sha256_b64u: string;
  size_bytes: number;
}

export interface FileChange {
  path: string;
  change: "added" | "modified" | "deleted";
  sha256_b64u?: string;
  size_bytes?: number;
}

export function scratchDir(runId: string, phase: string): string {
  return `${SCRATCH_ROOT}/${runId}/${phase}`;
}

async function tool(provider: SandboxProvider, sandboxId: string, args: string[]): Promise<string> {
  const result = await provider.exec(sandboxId, [provider.programs.node, "-e", SOURCE, ...args], { timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    throw new Error(`workspace ${args[0]} failed (${result.exitCode}): ${Buffer.from(result.stderr).toString("utf8").slice(0, 500)}`);
  }
  return Buffer.from(result.stdout).toString("utf8");
}

export const workspace = {
  prepare: (provider: SandboxProvider, sandboxId: string, scratch: string) => tool(provider, sandboxId, ["prepare", scratch]).then(() => undefined),
  manifest: async (provider: SandboxProvider, sandboxId: string, dir: string): Promise<FileEntry[]> => JSON.parse(await tool(provider, sandboxId, ["manifest", dir])) as FileEntry[],
  apply: (provider: SandboxProvider, sandboxId: string, scratch: string, changes: FileChange[]) =>
    tool(provider, sandboxId, ["apply", scratch, JSON.stringify(changes)]).then(() => undefined),
  cleanup: (provider: SandboxProvider, sandboxId: string, scratch: string) => tool(provider, sandboxId, ["cleanup", scratch]).then(() => undefined),
};

/** What changed from `before` to `after`, sorted by path. */
export function diffManifests(before: readonly FileEntry[], after: readonly FileEntry[]): FileChange[] {
  const old = new Map(before.map((f) => [f.path, f]));
  const now = new Map(after.map((f) => [f.path, f]));
  const changes: FileChange[] = [];
  for (const file of after) {
    const previous = old.get(file.path);
    if (!previous) changes.push({ path: file.path, change: "added", sha256_b64u: file.sha256_b64u, size_bytes: file.size_bytes });
    else if (previous.sha256_b64u !== file.sha256_b64u) changes.push({ path: file.path, change: "modified", sha256_b64u: file.sha256_b64u, size_bytes: file.size_bytes });
  }
  for (const file of before) if (!now.has(file.path)) changes.push({ path: file.path, change: "deleted" });
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
