/** Dev keys: env overrides the keys file, the keys file overrides generation; pure apart from the injected randomness. */

export interface DevKeys {
  /** The platform operator's key for creating tenants (control plane). */
  bootstrapKey: string;
  /** Key-encryption key, 32 bytes base64url (control plane and gateway). */
  kek: string;
  /** The gateway's Ed25519 receipt-signing seed, 32 bytes base64url. */
  gatewaySigningKey: string;
  /** The control plane's Ed25519 seed (CST issuer); its did:key goes into the gateway's CLAWEA_CST_ISSUERS. */
  controlPlaneSigningKey: string;
  /** The data plane's Ed25519 seed: signs execution attestations. */
  dataPlaneSigningKey: string;
  /** The transparency log's Ed25519 seed: signs tree heads. */
  logSigningKey: string;
}

export const KEY_ENV: Readonly<Record<keyof DevKeys, string>> = Object.freeze({
  bootstrapKey: "CLAWEA_BOOTSTRAP_KEY",
  kek: "CLAWEA_KEK",
  gatewaySigningKey: "CLAWEA_GATEWAY_SIGNING_KEY",
  controlPlaneSigningKey: "CLAWEA_CONTROL_PLANE_SIGNING_KEY",
  dataPlaneSigningKey: "CLAWEA_DATA_PLANE_SIGNING_KEY",
  logSigningKey: "CLAWEA_LOG_SIGNING_KEY",
});

const KEY_NAMES = Object.keys(KEY_ENV) as (keyof DevKeys)[];

export type KeySource = "env" | "file" | "generated";

export interface ResolvedKeys {
  keys: DevKeys;
  source: Record<keyof DevKeys, KeySource>;
  /** What the keys file should hold afterwards; null when it need not be (re)written. */
  fileContent: Partial<DevKeys> | null;
}

export class DevKeysError extends Error {
  override readonly name = "DevKeysError";
}

/** Parses the keys file's text; a file that is not what we wrote is an error, never silently replaced. */
export function parseKeysFile(text: string, path: string): Partial<DevKeys> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DevKeysError(`${path} is not JSON; fix or delete it (a new one is created on the next start)`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DevKeysError(`${path} must hold a JSON object`);
  const stored: Partial<DevKeys> = {};
  for (const name of KEY_NAMES) {
    const field = (value as Record<string, unknown>)[name];
    if (field === undefined) continue;
    if (typeof field !== "string" || field === "") throw new DevKeysError(`${path}: ${name} must be a non-empty string`);
    stored[name] = field;
  }
  return stored;
}

/**
 * `random32` returns 32 random bytes as base64url. Env wins over the file, the file over a new key;
 * only keys that are neither in env nor in the file are generated, and only then is the file written.
 */
export function resolveDevKeys(env: NodeJS.ProcessEnv, stored: Partial<DevKeys>, random32: () => string): ResolvedKeys {
  const keys = {} as DevKeys;
  const source = {} as Record<keyof DevKeys, KeySource>;
  const generated: Partial<DevKeys> = {};
  for (const name of KEY_NAMES) {
    const fromEnv = env[KEY_ENV[name]];
    const fromFile = stored[name];
    if (fromEnv) {
      keys[name] = fromEnv;
      source[name] = "env";
    } else if (fromFile) {
      keys[name] = fromFile;
      source[name] = "file";
    } else {
      keys[name] = generated[name] = random32();
      source[name] = "generated";
    }
  }
  const fileContent = Object.keys(generated).length > 0 ? { ...stored, ...generated } : null;
  return { keys, source, fileContent };
}
