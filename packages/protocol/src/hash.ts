/** SHA-256 in the shapes Clawsig writes it: base64url digests of bytes, strings and canonical JSON. */
import { sha256Base64url } from "./crypto.js";
import { canonicalize } from "./jcs.js";

export { sha256, sha256Base64url as sha256B64u } from "./crypto.js";

/** b64u(sha256(JCS(value))): the hash of a JSON document everywhere clawea pins or signs one. */
export function hashJcsB64u(value: unknown): string {
  return sha256Base64url(canonicalize(value));
}
