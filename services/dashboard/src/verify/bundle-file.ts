/**
 * Reads an uploaded export bundle: the JSON file itself, or the `.tar.gz` the API also serves, from
 * which `export_bundle.json` is taken (gunzip through the browser's DecompressionStream, then the
 * 512-byte ustar records read directly: the archive is small and flat).
 */

export const BUNDLE_IN_ARCHIVE = "export_bundle.json";

export class BundleFileError extends Error {
  override readonly name = "BundleFileError";
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const decoder = new TextDecoder();

function field(record: Uint8Array, offset: number, length: number): string {
  const raw = record.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
}

/** The files of a ustar archive (regular files only), by path. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (!Number.isSafeInteger(size) || size < 0 || offset + 512 + size > bytes.length) throw new BundleFileError("the archive is truncated or not a tar file");
    if (type === "0" || type === "\0") files.set(prefix ? `${prefix}/${name}` : name, bytes.slice(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The export bundle document in an uploaded file (JSON or .tar.gz). */
export async function readBundleFile(bytes: Uint8Array): Promise<unknown> {
  let json = bytes;
  if (isGzip(bytes)) {
    let archive: Uint8Array;
    try {
      archive = await gunzip(bytes);
    } catch {
      throw new BundleFileError("the file looks gzipped but does not decompress");
    }
    const found = readTar(archive).get(BUNDLE_IN_ARCHIVE);
    if (!found) throw new BundleFileError(`the archive holds no ${BUNDLE_IN_ARCHIVE}`);
    json = found;
  }
  try {
    return JSON.parse(decoder.decode(json)) as unknown;
  } catch {
    throw new BundleFileError("the file is not JSON");
  }
}
