/**
 * At-rest sealing of secrets and agent keys: AES-256-GCM under a key-encryption key (KEK) from the
 * environment, with associated data binding each value to where it belongs (tenant + name), so a
 * sealed value copied into another row does not open. Versioned for KEK rotation.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface Keyring {
  /** Version new values are sealed under. */
  current: number;
  keys: ReadonlyMap<number, Uint8Array>;
}

export class SealError extends Error {
  override readonly name = "SealError";
  readonly code = "SECRET_UNSEALABLE";
}

export function keyringFrom(kekB64u: string, version = 1): Keyring {
  const key = Buffer.from(kekB64u, "base64url");
  if (key.length !== 32) throw new SealError("the key-encryption key must be 32 bytes, base64url");
  return { current: version, keys: new Map([[version, new Uint8Array(key)]]) };
}

export function seal(keyring: Keyring, plaintext: Uint8Array | string, aad: string): string {
  const key = keyring.keys.get(keyring.current);
  if (!key) throw new SealError(`no key for version ${keyring.current}`);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `v1.${keyring.current}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function unseal(keyring: Keyring, sealed: string, aad: string): Buffer {
  const [format, version, iv, body] = sealed.split(".");
  const key = keyring.keys.get(Number(version));
  if (format !== "v1" || !key || !iv || !body) throw new SealError("sealed value has an unknown format or key version");
  const bytes = Buffer.from(body, "base64url");
  if (bytes.length < 16) throw new SealError("sealed value is truncated");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
  } catch {
    throw new SealError("sealed value does not open under this key and binding");
  }
}

/** The associated data for a tenant secret and for an agent's signing key. */
export const sealBinding = {
  secret: (tenantId: string, name: string) => `secret:${tenantId}:${name}`,
  agentKey: (tenantId: string, agentId: string) => `agent-key:${tenantId}:${agentId}`,
  runToken: (tenantId: string, runId: string, phase: string) => `run-cst:${tenantId}:${runId}:${phase}`,
};
