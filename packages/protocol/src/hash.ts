/** SHA-256 in the shapes Clawsig writes it: base64url digests of bytes, strings and canonical JSON. */
import { sha256 } from "./crypto.js";
import { b64uEncode } from "./encoding.js";
import { canonicalize } from "./jcs.js";

export { sha256 };

export function sha256B64u(data: Uint8Array | string): string {
  return b64uEncode(sha256(data));
}

/** b64u(sha256(JCS(value))): the hash of a JSON document everywhere clawea pins or signs one. */
export function hashJcsB64u(value: unknown): string {
  return sha256B64u(canonicalize(value));
}
