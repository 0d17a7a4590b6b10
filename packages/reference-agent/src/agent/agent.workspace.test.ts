import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openWorkspace, type Workspace } from "./agent.workspace.js";

let base: string;
let root: string;
let ws: Workspace;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "ref-ws-"));
  root = join(base, "workspace");
  await mkdir(root);
  await mkdir(join(base, "outside"));
  await writeFile(join(base, "outside", "secret.txt"), "secret");
  ws = await openWorkspace(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("workspace confinement", () => {
  it.each([
    ["/etc/passwd"],
    ["../outside/secret.txt"],
    ["a/../../outside/secret.txt"],
    [".."],
    ["C:/windows"],
    ["\\\\server\\share"],
    ["a\0b"],
    [""],
  ])("refuses %j with SANDBOX_PATH_INVALID", async (path) => {
    for (const result of [await ws.readFile(path), await ws.writeFile(path, "x"), await ws.deleteFile(path)]) {
      expect(result).toMatchObject({ outcome: "error", reasonCode: "SANDBOX_PATH_INVALID" });
    }
    await expect(readFile(join(base, "outside", "secret.txt"), "utf8")).resolves.toBe("secret");
  });

  it("refuses symlinks that lead out, for reading, writing through and deleting", async () => {
    await symlink(join(base, "outside"), join(root, "out"));
    await symlink(join(base, "outside", "secret.txt"), join(root, "secret-link"));
    expect(await ws.readFile("out/secret.txt")).toMatchObject({ reasonCode: "SANDBOX_PATH_INVALID" });
    expect(await ws.writeFile("out/new.txt", "x")).toMatchObject({ reasonCode: "SANDBOX_PATH_INVALID" });
    expect(await ws.writeFile("secret-link", "overwritten")).toMatchObject({ reasonCode: "SANDBOX_PATH_INVALID" });
    expect(await ws.listFiles("out")).toMatchObject({ reasonCode: "SANDBOX_PATH_INVALID" });
    expect(await ws.deleteFile("secret-link")).toMatchObject({ reasonCode: "SANDBOX_PATH_INVALID" });
    await expect(readFile(join(base, "outside", "secret.txt"), "utf8")).resolves.toBe("secret");
  });

  it("allows `..` that stays inside and symlinks that stay inside", async () => {
    expect(await ws.writeFile("a/../b.txt", "b")).toEqual({ outcome: "ok", content: { path: "b.txt", bytes: 1 } });
    await symlink(join(root, "b.txt"), join(root, "b-link"));
    expect(await ws.readFile("b-link")).toMatchObject({ outcome: "ok", content: { content: "b" } });
  });
});

describe("file tools", () => {
  it("writes (creating folders), reads, lists sorted and recursive, and deletes", async () => {
    expect(await ws.writeFile("notes/z.txt", "zz")).toMatchObject({ outcome: "ok" });
    expect(await ws.writeFile("notes/a.txt", "héllo")).toEqual({ outcome: "ok", content: { path: "notes/a.txt", bytes: 6 } });
    expect(await ws.writeFile("b.txt", "")).toMatchObject({ outcome: "ok" });
    expect(await ws.readFile("notes/a.txt")).toEqual({ outcome: "ok", content: { path: "notes/a.txt", bytes: 6, truncated: false, content: "héllo" } });
    expect(await ws.listFiles(undefined)).toEqual({ outcome: "ok", content: { path: ".", entries: ["b.txt", "notes/", "notes/a.txt", "notes/z.txt"], truncated: false } });
    expect(await ws.listFiles("notes")).toMatchObject({ content: { entries: ["notes/a.txt", "notes/z.txt"] } });
    expect(await ws.deleteFile("notes/z.txt")).toEqual({ outcome: "ok", content: { path: "notes/z.txt", deleted: true } });
    expect(await ws.readFile("notes/z.txt")).toMatchObject({ outcome: "error", reasonCode: "FILE_NOT_FOUND" });
  });

  it("reports file system refusals as errors with a code", async () => {
    await mkdir(join(root, "dir"));
    expect(await ws.deleteFile("dir")).toMatchObject({ outcome: "error", reasonCode: "FILE_OPERATION_FAILED" });
    expect(await ws.readFile("dir")).toMatchObject({ outcome: "error", reasonCode: "FILE_OPERATION_FAILED" });
    expect(await ws.listFiles("missing")).toMatchObject({ outcome: "error", reasonCode: "FILE_NOT_FOUND" });
    expect(await ws.writeFile("x.txt", 42)).toMatchObject({ outcome: "error", reasonCode: "TOOL_ARGUMENTS_INVALID" });
    expect(await ws.writeFile(".", "x")).toMatchObject({ outcome: "error", reasonCode: "SANDBOX_PATH_INVALID" });
  });
});
