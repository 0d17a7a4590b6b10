/**
 * API-key rows cached in process for a few seconds: authentication is on every request, and a
 * database round trip per request halves the API's throughput. Revocation in this process evicts at
 * once; another replica sees it within `ttlMs`. Expiry is always judged on the cached row's own time.
 */
import type { apiKeys } from "@clawea/db";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export class ApiKeyCache {
  private readonly entries = new Map<string, { row: ApiKeyRow | null; at: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached row (null: known not to exist), or undefined when absent or stale. */
  get(keyId: string, nowMs: number): ApiKeyRow | null | undefined {
    const entry = this.entries.get(keyId);
    if (!entry || nowMs - entry.at > this.ttlMs) return undefined;
    return entry.row;
  }

  set(keyId: string, row: ApiKeyRow | null, nowMs: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(keyId, { row, at: nowMs });
  }

  evict(keyId: string): void {
    this.entries.delete(keyId);
  }
}
