/**
 * A run's export bundle: the Clawsig `export_bundle` over its proof bundle and execution
 * attestation, signed by the control plane, with everything else an auditor needs (approval receipt
 * envelopes, log inclusion proofs, the URM, the WPC in force) in its signed `metadata`. The bundle is
 * deterministic for a run: its times are the evidence's, so exporting twice gives the same bytes and
 * the same content address. The `.tar.gz` holds the same files, each under the path the manifest
 * names, beside `export_bundle.json`.
 */
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { canonicalize, exportArchiveFiles, signExportBundle, utf8, type ExportBundle, type KeyPair } from "@clawea/protocol";

export interface ExportInputs {
  runId: string;
  builtAt: string;
  proofBundle: unknown;
  attestation: unknown;
  metadata: Record<string, unknown>;
  signer: KeyPair;
}

export function buildExportBundle(input: ExportInputs): ExportBundle {
  return signExportBundle({
    exportId: `exp_${input.runId}`,
    artifacts: { proof_bundle_envelope: input.proofBundle, execution_attestation_envelopes: [input.attestation] },
    issuer: input.signer,
    createdAt: input.builtAt,
    issuedAt: input.builtAt,
    metadata: input.metadata,
  });
}

export function exportBundleBytes(bundle: ExportBundle): Uint8Array {
  return utf8(canonicalize(bundle as never));
}

/** The `.tar.gz` form: fixed mtime and modes, so the same bundle gives the same archive. */
export async function exportTarGz(bundle: ExportBundle): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date(bundle.created_at);
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    gzip.on("data", (chunk: Buffer) => chunks.push(chunk));
    gzip.on("end", resolve);
    gzip.on("error", reject);
    pack.on("error", reject);
  });
  pack.pipe(gzip);
  for (const file of exportArchiveFiles(bundle)) {
    pack.entry({ name: file.path, size: file.bytes.length, mode: 0o644, mtime, uid: 0, gid: 0, uname: "clawea", gname: "clawea" }, Buffer.from(file.bytes));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
