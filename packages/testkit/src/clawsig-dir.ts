// Locates the shared upstream Clawsig folder (schemas + vectors) that tests read but never copy.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface ClawsigDirOptions {
  /** Where CLAWSIG_DIR is read from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the walk up to the repo root starts; defaults to this module's folder. */
  readonly startDir?: string;
}

const REPO_ROOT_MARKER = "pnpm-workspace.yaml";

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function findRepoRoot(startDir: string): string {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, REPO_ROOT_MARKER))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`clawsig: no ${REPO_ROOT_MARKER} above ${startDir}; cannot locate the repo root. Set CLAWSIG_DIR.`);
    }
  }
}

/**
 * Absolute path of the shared clawsig folder: `CLAWSIG_DIR` if set, else `<repo root>/../shared/clawsig`.
 * Throws when the folder (or its schemas/ and vectors/) is missing so conformance tests fail instead of skipping.
 */
export function clawsigDir(options: ClawsigDirOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env["CLAWSIG_DIR"] ?? "";
  const dir =
    fromEnv !== ""
      ? resolve(fromEnv)
      : resolve(findRepoRoot(options.startDir ?? dirname(fileURLToPath(import.meta.url))), "..", "shared", "clawsig");
  const source = fromEnv !== "" ? "CLAWSIG_DIR" : "the repo root";
  for (const required of [dir, join(dir, "schemas"), join(dir, "vectors")]) {
    if (!isDir(required)) {
      throw new Error(`clawsig: folder ${required} (from ${source}) is missing; the upstream schemas and vectors are required.`);
    }
  }
  return dir;
}
