import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { clawsigDir, loadVectorManifest } from "@clawea/testkit";
import { isDidKey } from "@clawea/protocol";
import { runCli, type CliIo } from "./index.js";

const vectors = join(clawsigDir(), "vectors");
const trustConfig = join(vectors, "trust-config.json");
const work = mkdtempSync(join(tmpdir(), "clawea-cli-"));
const notJson = join(work, "not.json");
writeFileSync(notJson, "{ this is not JSON");

function harness(now = "2026-11-25T12:00:00.000Z") {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => new Uint8Array(await readFile(p)),
    writeFile: (p, d, mode) => writeFile(p, d, { mode, flag: "wx" }),
    now: () => now,
    env: () => undefined,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

const KIND_COMMAND = { proof_bundle: "proof-bundle", export_bundle: "export-bundle", log_inclusion_proof: "log-proof" } as const;

describe("clawea verify", () => {
  it.each(loadVectorManifest().vectors)("gives the expected verdict and exit status for $name", async (vector) => {
    const h = harness();
    const status = await runCli(["verify", KIND_COMMAND[vector.kind], join(vectors, vector.path), "--trust-file", trustConfig, "--json"], h.io);
    const report = JSON.parse(h.out()) as { valid: boolean; reason_codes: string[] };
    expect(status).toBe(vector.expected.valid ? 0 : 1);
    expect(report.valid).toBe(vector.expected.valid);
    const expected = ([] as string[]).concat(vector.expected.reason_code);
    expect(report.reason_codes.some((c) => expected.includes(c))).toBe(true);
  });

  it("prints a human verdict naming the reason codes and where they sit", async () => {
    const bundle = JSON.parse(readFileSync(join(vectors, "export_bundle_golden.v1.json"), "utf8")) as { bundle: { manifest: { entries: { size_bytes: number }[] } } };
    bundle.bundle.manifest.entries[0]!.size_bytes += 1;
    const file = join(work, "tampered.json");
    writeFileSync(file, JSON.stringify(bundle));
    const h = harness();
    expect(await runCli(["verify", "export-bundle", file, "--trust-file", trustConfig], h.io)).toBe(1);
    expect(h.out()).toMatch(/^VERIFIED FAIL {2}export bundle/);
    expect(h.out()).toContain("HASH_MISMATCH");
    const pass = harness();
    expect(await runCli(["verify", "export-bundle", join(vectors, "export_bundle_golden.v1.json"), "--trust-file", trustConfig], pass.io)).toBe(0);
    expect(pass.out()).toMatch(/^VERIFIED PASS/);
  });

  it("fails a valid bundle whose signers are not pinned, and passes it with --trust", async () => {
    const file = join(vectors, "proof_bundle_pass.v1.json");
    const stranger = "did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th";
    const h = harness();
    expect(await runCli(["verify", "proof-bundle", file, "--trust", stranger, "--json"], h.io)).toBe(1);
    expect((JSON.parse(h.out()) as { reason_codes: string[] }).reason_codes).toContain("SIGNER_NOT_TRUSTED");
    const trusted = harness();
    const args = ["verify", "proof-bundle", file, "--trust", "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7", "--trust", "did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45Eahxy3m"];
    expect(await runCli(args, trusted.io)).toBe(0);
  });

  it("judges expiry at --at, not at the local clock", async () => {
    const file = join(vectors, "export_bundle_golden.v1.json");
    const h = harness();
    // Issued 2026-02-11: verifying as of a day earlier puts issued_at in the future.
    expect(await runCli(["verify", "export-bundle", file, "--trust-file", trustConfig, "--at", "2026-02-10T00:00:00Z", "--json"], h.io)).toBe(1);
    expect(h.out()).toContain("FUTURE_TIMESTAMP_POISONING");
  });

  const unreadable: [string, string[], string][] = [
    ["a missing file", ["verify", "proof-bundle", join(work, "nope.json"), "--trust-file", trustConfig], "INPUT_UNREADABLE"],
    ["a file that is not JSON", ["verify", "proof-bundle", notJson, "--trust-file", trustConfig], "is not UTF-8 JSON"],
    ["no trust anchors", ["verify", "proof-bundle", join(vectors, "proof_bundle_pass.v1.json")], "USAGE"],
    ["a malformed trust DID", ["verify", "proof-bundle", join(vectors, "proof_bundle_pass.v1.json"), "--trust", "did:web:x"], "TRUST_FILE_INVALID"],
    ["a trust file that is not one", ["verify", "proof-bundle", join(vectors, "proof_bundle_pass.v1.json"), "--trust-file", join(vectors, "manifest.json")], "TRUST_FILE_INVALID"],
    ["an unknown artifact kind", ["verify", "receipt", join(vectors, "proof_bundle_pass.v1.json"), "--trust-file", trustConfig], "USAGE"],
    ["an unknown flag", ["verify", "proof-bundle", join(vectors, "proof_bundle_pass.v1.json"), "--trust-file", trustConfig, "--fast"], "USAGE"],
    ["a bad --at", ["verify", "proof-bundle", join(vectors, "proof_bundle_pass.v1.json"), "--trust-file", trustConfig, "--at", "tomorrow"], "USAGE"],
    ["an unknown command", ["frobnicate"], "unknown command"],
  ];
  it.each(unreadable)("exits 2 on %s", async (_name, args, code) => {
    const h = harness();
    expect(await runCli(args, h.io)).toBe(2);
    expect(h.err()).toContain(code);
  });
});

describe("clawea keygen", () => {
  it("prints a fresh did:key and its key", async () => {
    const h = harness();
    expect(await runCli(["keygen", "--json"], h.io)).toBe(0);
    const key = JSON.parse(h.out()) as { did: string; private_key_b64u: string };
    expect(isDidKey(key.did)).toBe(true);
    expect(key.private_key_b64u).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("writes a 0600 key file and never overwrites one", async () => {
    const file = join(work, "signer.key.json");
    const h = harness();
    expect(await runCli(["keygen", "--out", file], h.io)).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(h.out().trim()).toBe((JSON.parse(readFileSync(file, "utf8")) as { did: string }).did);
    const again = harness();
    expect(await runCli(["keygen", "--out", file], again.io)).toBe(2);
    expect(again.err()).toContain("EEXIST");
  });
});

describe("the clawea binary", () => {
  const run = promisify(execFile);
  const main = join(import.meta.dirname, "main.ts");

  it("exits with the verdict's status", async () => {
    const pass = await run(process.execPath, ["--import", "tsx", main, "verify", "log-proof", join(vectors, "log_inclusion_proof_golden.v1.json"), "--trust-file", trustConfig]);
    expect(pass.stdout).toMatch(/^VERIFIED PASS/);
    await expect(run(process.execPath, ["--import", "tsx", main, "verify", "proof-bundle", join(vectors, "proof_bundle_fail_invalid_signature.v1.json"), "--trust-file", trustConfig])).rejects.toMatchObject({ code: 1 });
    await expect(run(process.execPath, ["--import", "tsx", main, "verify"])).rejects.toMatchObject({ code: 2 });
    // Three cold node + tsx starts; on a loaded 2-core CI machine that takes well over vitest's 5 s default.
  }, 60_000);
});
