/**
 * Provider keys, opened from the tenant's sealed secrets (named after the provider, kind provider_key)
 * and held decrypted in this process's memory only briefly: a rotated or deleted key takes effect
 * within `ttlMs`. The sandbox never sees them; they leave only in the upstream request's auth header.
 */
import { openSecret, type Db, type Keyring } from "@clawea/db";

export interface ProviderKeysDeps {
  db: Db;
  keyring: Keyring;
  ttlMs?: number;
  nowMs?: () => number;
}

export interface ProviderKeys {
  /** The key, or null when the tenant has no provider_key secret of that name. */
  get(tenantId: string, provider: string): Promise<string | null>;
}

const MAX_ENTRIES = 10_000;

export function createProviderKeys(deps: ProviderKeysDeps): ProviderKeys {
  const ttlMs = deps.ttlMs ?? 60_000;
  const nowMs = deps.nowMs ?? Date.now;
  // Promises, so concurrent calls of one tenant open the secret once.
  const cache = new Map<string, { at: number; key: Promise<string | null> }>();

  async function open(tenantId: string, provider: string): Promise<string | null> {
    const secret = await openSecret(deps.db, deps.keyring, tenantId, provider);
    return secret && secret.kind === "provider_key" && secret.value !== "" ? secret.value : null;
  }

  return {
    get(tenantId, provider) {
      const cacheKey = `${tenantId}\u0000${provider}`;
      const now = nowMs();
      const cached = cache.get(cacheKey);
      if (cached && now - cached.at < ttlMs) return cached.key;
      if (cache.size >= MAX_ENTRIES) cache.clear();
      const key = open(tenantId, provider);
      cache.set(cacheKey, { at: now, key });
      key.catch(() => cache.delete(cacheKey));
      return key;
    },
  };
}
