/**
 * The file tools, confined to the workspace: absolute paths, `..` escapes and symlinks that lead
 * out are refused before any file is touched.
 */
import { lstat, mkdir, readdir, readFile, realpath, unlink, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ToolResult } from "./agent.tools.js";

const MAX_READ_BYTES = 64 * 1024;
const MAX_LIST_ENTRIES = 1000;

export interface Workspace {
  writeFile(path: unknown, content: unknown): Promise<ToolResult>;
  readFile(path: unknown): Promise<ToolResult>;
  listFiles(path: unknown): Promise<ToolResult>;
  deleteFile(path: unknown): Promise<ToolResult>;
}

type Resolved = { ok: true; abs: string; rel: string } | { ok: false; result: ToolResult };

const pathInvalid = (detail: string): { ok: false; result: ToolResult } => ({
  ok: false,
  result: { outcome: "error", reasonCode: "SANDBOX_PATH_INVALID", content: { error: detail } },
});

function fsError(err: unknown, rel: string): ToolResult {
  const code = (err as NodeJS.ErrnoException).code ?? "UNKNOWN";
  return {
    outcome: "error",
    reasonCode: code === "ENOENT" ? "FILE_NOT_FOUND" : "FILE_OPERATION_FAILED",
    content: { path: rel, error: code },
  };
}

const toPosix = (rel: string): string => rel.split(sep).join("/");

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `abs`, or of its deepest existing ancestor when it does not exist yet. */
async function realAncestor(abs: string): Promise<string> {
  let probe = abs;
  for (;;) {
    try {
      return await realpath(probe);
    } catch (err) {
      const parent = dirname(probe);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || parent === probe) throw err;
      probe = parent;
    }
  }
}

export async function openWorkspace(root: string): Promise<Workspace> {
  const realRoot = await realpath(root);

  async function resolveInside(path: unknown, { allowRoot }: { allowRoot: boolean }): Promise<Resolved> {
    if (typeof path !== "string" || path === "") return pathInvalid("path must be a non-empty string relative to the workspace");
    if (path.includes("\0")) return pathInvalid("path contains a NUL byte");
    if (isAbsolute(path) || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) return pathInvalid("absolute paths are not allowed; use a path relative to the workspace");
    const abs = resolve(realRoot, path);
    const rel = relative(realRoot, abs);
    if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return pathInvalid("path leaves the workspace");
    if (rel === "" && !allowRoot) return pathInvalid("path names the workspace itself, not a file in it");
    // A symlink inside the workspace must not lead the tool out of it.
    let real: string;
    try {
      real = await realAncestor(abs);
    } catch (err) {
      return { ok: false, result: fsError(err, toPosix(rel)) };
    }
    if (!inside(realRoot, real)) return pathInvalid("path leads out of the workspace through a symlink");
    return { ok: true, abs, rel: toPosix(rel) || "." };
  }

  return {
    async writeFile(path, content) {
      if (typeof content !== "string") return { outcome: "error", reasonCode: "TOOL_ARGUMENTS_INVALID", content: { error: "content must be a string" } };
      const target = await resolveInside(path, { allowRoot: false });
      if (!target.ok) return target.result;
      try {
        await mkdir(dirname(target.abs), { recursive: true });
        await writeFile(target.abs, content, "utf8");
      } catch (err) {
        return fsError(err, target.rel);
      }
      return { outcome: "ok", content: { path: target.rel, bytes: Buffer.byteLength(content, "utf8") } };
    },

    async readFile(path) {
      const target = await resolveInside(path, { allowRoot: false });
      if (!target.ok) return target.result;
      let data: Buffer;
      try {
        data = await readFile(target.abs);
      } catch (err) {
        return fsError(err, target.rel);
      }
      const truncated = data.length > MAX_READ_BYTES;
      return {
        outcome: "ok",
        content: { path: target.rel, bytes: data.length, truncated, content: data.subarray(0, MAX_READ_BYTES).toString("utf8") },
      };
    },

    async listFiles(path) {
      const target = await resolveInside(path ?? ".", { allowRoot: true });
      if (!target.ok) return target.result;
      const entries: string[] = [];
      let truncated = false;
      // Depth-first in sorted order, symlinks listed but not followed: the same tree lists the same way.
      async function walk(dir: string): Promise<void> {
        const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of names) {
          if (entries.length >= MAX_LIST_ENTRIES) {
            truncated = true;
            return;
          }
          const full = join(dir, entry.name);
          const rel = toPosix(relative(realRoot, full));
          if (entry.isDirectory()) {
            entries.push(`${rel}/`);
            await walk(full);
          } else {
            entries.push(rel);
          }
        }
      }
      try {
        if (!(await lstat(target.abs)).isDirectory()) return { outcome: "error", reasonCode: "FILE_OPERATION_FAILED", content: { path: target.rel, error: "ENOTDIR" } };
        await walk(target.abs);
      } catch (err) {
        return fsError(err, target.rel);
      }
      return { outcome: "ok", content: { path: target.rel, entries, truncated } };
    },

    async deleteFile(path) {
      const target = await resolveInside(path, { allowRoot: false });
      if (!target.ok) return target.result;
      try {
        await unlink(target.abs);
      } catch (err) {
        return fsError(err, target.rel);
      }
      return { outcome: "ok", content: { path: target.rel, deleted: true } };
    },
  };
}
