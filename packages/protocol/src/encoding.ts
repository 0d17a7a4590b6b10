/** Byte encodings used by Clawsig: base64url without padding, base58btc (did:key), UTF-8. */
import { base58, base64urlnopad } from "@scure/base";
import { ProtocolError } from "./errors.js";

const B64U_RE = /^[A-Za-z0-9_-]*$/;
const utf8Encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

// Node's Buffer encodes natively (receipts are encoded on every model call); browsers use @scure/base. Same output.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function b64uEncode(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
  return base64urlnopad.encode(bytes);
}

/** Strict: rejects padding, the standard alphabet and non-canonical trailing bits. */
export function b64uDecode(text: string): Uint8Array {
  if (!B64U_RE.test(text)) throw new ProtocolError("MALFORMED_ENCODING", "not base64url without padding");
  try {
    return base64urlnopad.decode(text);
  } catch {
    throw new ProtocolError("MALFORMED_ENCODING", "not canonical base64url");
  }
}

export function isB64u(value: unknown): value is string {
  return typeof value === "string" && B64U_RE.test(value);
}

export function base58btcEncode(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

export function base58btcDecode(text: string): Uint8Array {
  try {
    return base58.decode(text);
  } catch {
    throw new ProtocolError("MALFORMED_ENCODING", "not base58btc");
  }
}
