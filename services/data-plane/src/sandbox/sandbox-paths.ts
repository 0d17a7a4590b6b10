/** Path rules for the local provider: sandbox ids, in-sandbox layout, and host-side file access confined to a workspace. */
import { constants } from "node:fs";
import { chown, lstat, mkdir, open, realpath, type FileHandle } from "node:fs/promises";
import { isAbsolute, join, sep } from "node:path";
import { SandboxError } from "./sandbox.provider.js";

/** Where things are inside every local sandbox (the mount namespace maps them onto the sandbox's own directory). */
export const IN_SANDBOX = {
  workspace: "/home/workspace",
  home: "/home/agent",
  tmp: "/tmp",
  bridgeDir: "/run/clawea",
} as const;

/** The unprivileged identity every sandboxed process runs as (nobody). */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Ids end up in host paths and cgroup names, so they are restricted to a safe alphabet. */
export function assertSandboxId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new SandboxError("SANDBOX_PATH_INVALID", "sandbox id must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
}

/** Splits a workspace-relative path into plain segments; absolute paths, `..`, NUL and empty paths are rejected. */
export function workspaceSegments(path: string): string[] {
  if (path.includes("\0") || isAbsolute(path)) throw new SandboxError("SANDBOX_PATH_INVALID", "path must be relative to the workspace");
  const parts = path.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) throw new SandboxError("SANDBOX_PATH_INVALID", "path escapes the workspace");
  return parts;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

/** Walks the parent directories without following symlinks (creating missing ones when asked). */
async function parentOf(workspace: string, parts: readonly string[], create: boolean): Promise<string> {
  let current = workspace;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    const stat = await lstat(current).catch((err: unknown) => {
      if (errorCode(err) === "ENOENT") return null;
      throw err;
    });
    if (stat === null) {
      if (!create) throw new SandboxError("SANDBOX_PATH_INVALID", "no such file in the workspace");
      await mkdir(current);
      await chown(current, SANDBOX_UID, SANDBOX_GID);
    } else if (!stat.isDirectory()) {
      throw new SandboxError("SANDBOX_PATH_INVALID", "path crosses a symlink or a non-directory");
    }
  }
  return current;
}

/** A sandboxed process may swap a directory for a symlink between our checks and the open: re-check what was opened. */
async function assertOpenedInside(handle: FileHandle, workspace: string): Promise<void> {
  const real = await realpath(`/proc/self/fd/${handle.fd}`);
  const root = await realpath(workspace);
  if (!real.startsWith(root + sep)) throw new SandboxError("SANDBOX_PATH_INVALID", "path resolves outside the workspace");
}

async function openConfined(workspace: string, path: string, mode: "read" | "write"): Promise<FileHandle> {
  const parts = workspaceSegments(path);
  const parent = await parentOf(workspace, parts, mode === "write");
  const target = join(parent, parts[parts.length - 1] ?? "");
  const flags =
    constants.O_NOFOLLOW | constants.O_NONBLOCK | (mode === "read" ? constants.O_RDONLY : constants.O_WRONLY | constants.O_CREAT);
  let handle: FileHandle;
  try {
    handle = await open(target, flags, 0o644);
  } catch (err) {
    const code = errorCode(err);
    if (code === "ELOOP") throw new SandboxError("SANDBOX_PATH_INVALID", "path is a symlink");
    if (code === "ENOENT" || code === "EISDIR" || code === "ENXIO") throw new SandboxError("SANDBOX_PATH_INVALID", `cannot open path (${code})`);
    throw err;
  }
  try {
    await assertOpenedInside(handle, workspace);
    if (!(await handle.stat()).isFile()) throw new SandboxError("SANDBOX_PATH_INVALID", "path is not a regular file");
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export async function readConfined(workspace: string, path: string): Promise<Uint8Array> {
  const handle = await openConfined(workspace, path, "read");
  try {
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

export async function writeConfined(workspace: string, path: string, data: Uint8Array): Promise<void> {
  const handle = await openConfined(workspace, path, "write");
  try {
    await handle.truncate(0);
    await handle.write(data, 0, data.byteLength, 0);
    await handle.chown(SANDBOX_UID, SANDBOX_GID);
  } finally {
    await handle.close();
  }
}
