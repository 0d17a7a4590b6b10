/**
 * An export in its archive form (`.tar.gz`): the bundle inside is verified as usual, and every file of
 * the archive must be exactly what the bundle says it is (manifest artifacts and the signed
 * metadata's parts, byte for byte); a missing, altered or extra file is a finding of its own.
 */
import { gunzipSync } from "node:zlib";
import { Readable } from "node:stream";
import tar from "tar-stream";
import { exportArchiveFiles, type ExportBundle } from "@clawea/protocol";
import type { Finding } from "@clawea/verify";
import { UsageError } from "./io.js";

export function isArchivePath(path: string): boolean {
  return path.endsWith(".tar.gz") || path.endsWith(".tgz");
}

async function untar(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes);
  } catch {
    throw new UsageError("INPUT_UNREADABLE", "the archive is not gzip");
  }
  const files = new Map<string, Uint8Array>();
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      if (header.type === "file") files.set(header.name, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", () => reject(new UsageError("INPUT_UNREADABLE", "the archive is not a tar file")));
    Readable.from([tarBytes]).pipe(extract);
  });
  return files;
}

const finding = (code: Finding["code"], path: string, message: string): Finding => ({ code, path, message }) as Finding;

export async function readExportArchive(bytes: Uint8Array): Promise<{ bundle: unknown; findings: Finding[] }> {
  const files = await untar(bytes);
  const bundleBytes = files.get("export_bundle.json");
  if (!bundleBytes) throw new UsageError("INPUT_UNREADABLE", "the archive holds no export_bundle.json");
  let bundle: unknown;
  try {
    bundle = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bundleBytes));
  } catch {
    throw new UsageError("INPUT_UNREADABLE", "export_bundle.json is not UTF-8 JSON");
  }
  const findings: Finding[] = [];
  let expected: { path: string; bytes: Uint8Array }[];
  try {
    expected = exportArchiveFiles(bundle as ExportBundle);
  } catch {
    // The bundle itself is malformed: the verifier reports why.
    return { bundle, findings };
  }
  const wanted = new Set<string>();
  for (const file of expected) {
    wanted.add(file.path);
    if (file.path === "export_bundle.json") continue;
    const got = files.get(file.path);
    if (!got) findings.push(finding("MISSING_REQUIRED_FIELD", `archive:${file.path}`, `the archive has no ${file.path}`));
    else if (Buffer.compare(Buffer.from(got), Buffer.from(file.bytes)) !== 0) findings.push(finding("HASH_MISMATCH", `archive:${file.path}`, `${file.path} is not the bundle's ${file.path}`));
  }
  for (const path of files.keys()) {
    if (!wanted.has(path)) findings.push(finding("MALFORMED_ENVELOPE", `archive:${path}`, `${path} is not part of the export`));
  }
  return { bundle, findings };
}
