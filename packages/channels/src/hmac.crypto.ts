/** The only module of this package that touches node:crypto: HMAC-SHA256, SHA-256 and a constant-time comparison. */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function hmacSha256(key: Uint8Array | string, ...parts: (Uint8Array | string)[]): Buffer {
  const mac = createHmac("sha256", key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Equal bytes, in time that depends only on the length (a different length is simply unequal). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sha256B64u(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}
