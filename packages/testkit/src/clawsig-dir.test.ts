import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clawsigDir } from "./index.js";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clawsig-dir-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("clawsigDir", () => {
  it("finds ../shared/clawsig next to the repo root", () => {
    const dir = clawsigDir({ env: {} });
    expect(dir).toMatch(/[/\\]shared[/\\]clawsig$/);
  });

  it("prefers CLAWSIG_DIR", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "schemas"));
    mkdirSync(join(dir, "vectors"));
    expect(clawsigDir({ env: { CLAWSIG_DIR: dir } })).toBe(dir);
  });

  it("throws when CLAWSIG_DIR points nowhere", () => {
    expect(() => clawsigDir({ env: { CLAWSIG_DIR: join(tempDir(), "absent") } })).toThrow(/missing/);
  });

  it("throws when the folder lacks vectors/", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "schemas"));
    expect(() => clawsigDir({ env: { CLAWSIG_DIR: dir } })).toThrow(/vectors.*missing/);
  });

  it("throws when the repo root has no ../shared/clawsig", () => {
    const root = join(tempDir(), "repo");
    mkdirSync(join(root, "packages", "testkit"), { recursive: true });
    writeFileSync(join(root, "pnpm-workspace.yaml"), "packages: []\n");
    expect(() => clawsigDir({ env: {}, startDir: join(root, "packages", "testkit") })).toThrow(/shared.clawsig.*missing/);
  });

  it("throws when there is no repo root above the start folder", () => {
    expect(() => clawsigDir({ env: {}, startDir: tempDir() })).toThrow(/repo root/);
  });
});
