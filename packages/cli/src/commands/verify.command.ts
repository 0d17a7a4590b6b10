/** `clawea verify <kind> FILE`: the offline verifier as a CI step (exit 0 valid, 1 invalid, 2 unreadable). */
import { parseArgs } from "node:util";
import { isRfc3339 } from "@clawea/protocol";
import { verifyArtifact, type ArtifactKind, type Finding, type TrustAnchors, type VerificationResult } from "@clawea/verify";
import { isArchivePath, readExportArchive } from "../export-archive.js";
import { EXIT, UsageError, type CliIo, type ExitStatus } from "../io.js";
import { mergeTrust, parseTrustDocument } from "../trust-file.js";
import { readJson } from "../read-json.js";

const VERIFIERS = {
  "proof-bundle": { label: "proof bundle", kind: "proof_bundle" },
  "export-bundle": { label: "export bundle", kind: "export_bundle" },
  "execution-attestation": { label: "execution attestation", kind: "execution_attestation" },
  "log-proof": { label: "log inclusion proof", kind: "log_inclusion_proof" },
} as const satisfies Record<string, { label: string; kind: ArtifactKind }>;
type Kind = keyof typeof VERIFIERS;

export const VERIFY_USAGE = `usage: clawea verify <${Object.keys(VERIFIERS).join("|")}> FILE [--trust DID]... [--trust-file F] [--at TIME] [--json]

  FILE             JSON; for export-bundle also the .tar.gz the API exports (every file in it is checked)

  --trust DID      a signer DID to trust (repeatable)
  --trust-file F   trust anchors: GET /v1/trust output, or an upstream trust-config.json
  --at TIME        verify as of this RFC 3339 time (default: now)
  --json           print {valid, reason_codes, findings} as JSON

exit status: 0 valid, 1 invalid, 2 unreadable input or bad arguments`;

function isKind(value: string | undefined): value is Kind {
  return value !== undefined && Object.hasOwn(VERIFIERS, value);
}

export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      trust: { type: "string", multiple: true, default: [] },
      "trust-file": { type: "string" },
      at: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const [kind, file, ...extra] = positionals;
  if (!isKind(kind) || file === undefined || extra.length > 0) throw new UsageError("USAGE", VERIFY_USAGE);
  const now = values.at ?? io.now();
  if (!isRfc3339(now)) throw new UsageError("USAGE", `--at must be an RFC 3339 time, got ${now}`);

  const trustFile = values["trust-file"];
  const fromFile = trustFile === undefined ? null : parseTrustDocument(await readJson(io, trustFile));
  const trust: TrustAnchors = mergeTrust(fromFile, values.trust);
  if (trust.allowed_signer_dids.length === 0) {
    throw new UsageError("USAGE", "no trust anchors: pass --trust DID or --trust-file F (offline verification needs pinned signers)");
  }

  const verifier = VERIFIERS[kind];
  // verifyArtifact also takes the containers upstream tools write ({envelope}, {bundle}, ...).
  let result: VerificationResult<unknown>;
  if (isArchivePath(file)) {
    if (kind !== "export-bundle") throw new UsageError("USAGE", "only export bundles come as .tar.gz archives");
    let bytes: Uint8Array;
    try {
      bytes = await io.readFile(file);
    } catch (error) {
      throw new UsageError("INPUT_UNREADABLE", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "read failed"}`);
    }
    const archive = await readExportArchive(bytes);
    result = withArchiveFindings(verifyArtifact(verifier.kind, archive.bundle, { trust, now }), archive.findings);
  } else {
    result = verifyArtifact(verifier.kind, await readJson(io, file), { trust, now });
  }
  if (values.json) {
    io.stdout(`${JSON.stringify({ valid: result.valid, reason_codes: result.reason_codes, findings: result.findings }, null, 2)}\n`);
  } else {
    io.stdout(renderVerdict(verifier.label, file, result));
  }
  return result.valid ? EXIT.VALID : EXIT.INVALID;
}

/** The archive's own findings join the bundle's: any of them fails the verification. */
function withArchiveFindings(result: VerificationResult<unknown>, findings: readonly Finding[]): VerificationResult<unknown> {
  if (findings.length === 0) return result;
  const codes = [...new Set([...result.reason_codes.filter((code) => code !== "OK"), ...findings.map((f) => f.code)])];
  return { ...result, valid: false, reason_codes: codes, findings: [...result.findings, ...findings] } as VerificationResult<unknown>;
}

function renderVerdict(label: string, file: string, result: VerificationResult<unknown>): string {
  if (result.valid) return `VERIFIED PASS  ${label}  ${file}\n`;
  const lines = [`VERIFIED FAIL  ${label}  ${file}  (${result.reason_codes.join(", ")})`];
  for (const f of result.findings) lines.push(`  ${f.code}  at ${f.path}: ${f.message}`);
  return `${lines.join("\n")}\n`;
}
