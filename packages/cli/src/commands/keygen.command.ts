/** `clawea keygen`: a fresh Ed25519 key and its did:key, for a signer or a test trust anchor. */
import { parseArgs } from "node:util";
import { b64uEncode, generateKeyPair } from "@clawea/protocol";
import { EXIT, UsageError, type CliIo, type ExitStatus } from "../io.js";

export const KEYGEN_USAGE = `usage: clawea keygen [--out FILE] [--json]

  --out FILE   write the key file (mode 0600) and print only the DID
  --json       print the key as JSON`;

export async function keygenCommand(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { out: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (positionals.length > 0) throw new UsageError("USAGE", KEYGEN_USAGE);
  const key = generateKeyPair();
  const doc = {
    key_version: "1",
    algorithm: "Ed25519",
    did: key.did,
    public_key_b64u: b64uEncode(key.publicKey),
    private_key_b64u: b64uEncode(key.privateKey),
    created_at: io.now(),
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (values.out !== undefined) {
    try {
      await io.writeFile(values.out, text, 0o600);
    } catch (error) {
      throw new UsageError("INPUT_UNREADABLE", `cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? "write failed"}`);
    }
    io.stdout(values.json ? `${JSON.stringify({ did: key.did, path: values.out })}\n` : `${key.did}\n`);
  } else {
    io.stdout(values.json ? text : `did         ${doc.did}\npublic key  ${doc.public_key_b64u}\nprivate key ${doc.private_key_b64u}\n`);
  }
  return EXIT.VALID;
}
