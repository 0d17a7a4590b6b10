// A fresh OpenClaw install is marked "lifecycle pending"; the data plane retires the mark before the
// sandbox (where OpenClaw's package is read-only) starts it.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PENDING_LIFECYCLE_MARKS, retirePendingLifecycle } from "./runtime-paths.js";

const root = mkdtempSync(join(tmpdir(), "openclaw-pkg-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the pending install lifecycle", () => {
  it("retires both of OpenClaw's marks and leaves the package alone", () => {
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, "package.json"), "{}");
    for (const mark of PENDING_LIFECYCLE_MARKS) writeFileSync(join(root, mark), "pending\n");
    expect(retirePendingLifecycle(root)).toBeNull();
    for (const mark of PENDING_LIFECYCLE_MARKS) expect(existsSync(join(root, mark))).toBe(false);
    expect(existsSync(join(root, "package.json"))).toBe(true);
    // Nothing left to do the second time.
    expect(retirePendingLifecycle(root)).toBeNull();
  });

  it("says why when a mark cannot be removed", () => {
    // A mark that is a non-empty directory is not OpenClaw's file: it is refused, not removed recursively.
    const blocked = mkdtempSync(join(tmpdir(), "openclaw-pkg-"));
    mkdirSync(join(blocked, ".openclaw-lifecycle-pending"));
    writeFileSync(join(blocked, ".openclaw-lifecycle-pending", "x"), "");
    expect(retirePendingLifecycle(blocked)).toMatch(/\.openclaw-lifecycle-pending.*cannot be removed/);
    rmSync(blocked, { recursive: true, force: true });
  });
});
