import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { exportArchiveFiles, generateKeyPair, nextEvent, signEnvelope, signExportBundle, type ChainEvent, type ExportBundle } from "@clawea/protocol";
import { runCli, type CliIo } from "./index.js";

const agent = generateKeyPair();
const controlPlane = generateKeyPair();
const at = "2026-11-25T10:00:00.000Z";

function bundle(): ExportBundle {
  const chain: ChainEvent[] = [];
  chain.push(nextEvent(chain, "run_archive", { event_id: "evt_1", event_type: "run_started", timestamp: at, payload: {} }));
  const proofBundle = signEnvelope({
    envelopeType: "proof_bundle",
    signer: agent,
    issuedAt: at,
    payload: { bundle_version: "1", bundle_id: "pb_archive", agent_did: agent.did, event_chain: chain },
  });
  return signExportBundle({
    exportId: "exp_archive",
    artifacts: { proof_bundle_envelope: proofBundle },
    issuer: controlPlane,
    createdAt: at,
    issuedAt: at,
    metadata: { urm: { urm_version: "1", run_id: "run_archive" }, wpc: { policy_version: "2" } },
  });
}

async function archive(files: { path: string; bytes: Uint8Array }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on("end", resolve));
  for (const file of files) pack.entry({ name: file.path, size: file.bytes.length }, Buffer.from(file.bytes));
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

async function verify(bytes: Buffer): Promise<{ status: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), "clawea-archive-"));
  const file = join(dir, "run.export.tar.gz");
  writeFileSync(file, bytes);
  let out = "";
  const io: CliIo = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    readFile: async (path) => new Uint8Array(await import("node:fs/promises").then((fs) => fs.readFile(path))),
    writeFile: async () => undefined,
    now: () => "2026-11-25T12:00:00.000Z",
    env: () => undefined,
  };
  const status = await runCli(["verify", "export-bundle", file, "--trust", agent.did, "--trust", controlPlane.did, "--json"], io);
  return { status, out };
}

describe("clawea verify export-bundle FILE.tar.gz", () => {
  it("passes an archive holding exactly the export's files", async () => {
    const result = await verify(await archive(exportArchiveFiles(bundle())));
    expect(result.status).toBe(0);
  });

  it("fails an archive with an altered, a missing or an extra file, naming the file", async () => {
    const files = exportArchiveFiles(bundle());
    const altered = files.map((f) => (f.path === "urm.json" ? { ...f, bytes: new TextEncoder().encode('{"urm_version":"2"}') } : f));
    const missing = files.filter((f) => f.path !== "wpc.json");
    const extra = [...files, { path: "notes.txt", bytes: new TextEncoder().encode("hi") }];
    for (const [variant, code, path] of [
      [altered, "HASH_MISMATCH", "archive:urm.json"],
      [missing, "MISSING_REQUIRED_FIELD", "archive:wpc.json"],
      [extra, "MALFORMED_ENVELOPE", "archive:notes.txt"],
    ] as const) {
      const result = await verify(await archive([...variant]));
      expect(result.status).toBe(1);
      const report = JSON.parse(result.out) as { reason_codes: string[]; findings: { path: string }[] };
      expect(report.reason_codes).toContain(code);
      expect(report.findings.map((f) => f.path)).toContain(path);
    }
  });

  it("fails when the bundle inside was tampered with, and exits 2 for what is not an archive", async () => {
    const files = exportArchiveFiles(bundle()).map((f) =>
      f.path === "export_bundle.json" ? { ...f, bytes: new TextEncoder().encode(new TextDecoder().decode(f.bytes).replace("exp_archive", "exp_other")) } : f,
    );
    expect((await verify(await archive(files))).status).toBe(1);
    expect((await verify(Buffer.from("not gzip"))).status).toBe(2);
  });
});
