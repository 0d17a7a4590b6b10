/**
 * Who is calling: the platform operator (bootstrap key) or a tenant API key with roles. Each route
 * declares whom it admits in `config.auth`; routes without it are public (health, OpenAPI).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import fp from "fastify-plugin";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { apiKeys, newId, type Db } from "@clawea/db";
import type { ApiKeyCache, ApiKeyRow } from "./api-key-cache.js";
import { ApiError } from "./problem.js";

export const ROLES = ["admin", "security", "operator", "auditor", "finance", "developer"] as const;
export type Role = (typeof ROLES)[number];

export type Principal =
  | { kind: "platform" }
  | { kind: "tenant"; tenantId: string; keyId: string; roles: readonly Role[] };

/** `"platform"` for the operator's routes, or the tenant roles a route admits. */
export type RouteAuth = "platform" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** A tenant key is `<key id>.<secret>`: the id finds the row, the secret's hash must match it. */
export function mintApiKey(): { keyId: string; secret: string; token: string; secretHash: string } {
  const keyId = newId("apiKey");
  const secret = randomBytes(32).toString("base64url");
  return { keyId, secret, token: `${keyId}.${secret}`, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Tenant principal for the request; throws the precise 401 reason. */
export function tenantOf(request: FastifyRequest): Extract<Principal, { kind: "tenant" }> {
  const principal = request.principal;
  if (principal?.kind !== "tenant") throw new ApiError("ROLE_NOT_PERMITTED", "this route is for tenant keys");
  return principal;
}

export interface AuthOptions {
  db: Db;
  bootstrapKeyHash: Buffer;
  now: () => Date;
  keyCache: ApiKeyCache;
}

// last_used_at is for humans ("is this key still in use?"): a minute's precision spares a write per request.
const LAST_USED_PRECISION_MS = 60_000;

export const authPlugin = fp<AuthOptions>(async (app: FastifyInstance, options) => {
  const lastUsedWritten = new Map<string, number>();
  // Each request hashes its secret once (the secret itself is never kept); the stored hash is decoded
  // once per cached row, not per request. Keyed by the row object, so a refreshed row starts afresh.
  const storedHashes = new WeakMap<ApiKeyRow, Buffer>();
  const storedHashOf = (row: ApiKeyRow): Buffer => {
    let hash = storedHashes.get(row);
    if (!hash) {
      hash = Buffer.from(row.secretHash, "base64url");
      storedHashes.set(row, hash);
    }
    return hash;
  };
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined) return;
    const header = request.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!token) throw new ApiError("AUTH_REQUIRED");

    if (auth === "platform") {
      if (!sameHash(createHash("sha256").update(token).digest(), options.bootstrapKeyHash)) throw new ApiError("API_KEY_INVALID");
      request.principal = { kind: "platform" };
      return;
    }

    const [keyId, secret, ...rest] = token.split(".");
    if (!keyId || !secret || rest.length > 0 || !/^key_[0-9a-f]{32}$/.test(keyId)) throw new ApiError("API_KEY_INVALID");
    const now = options.now();
    let row = options.keyCache.get(keyId, now.getTime());
    if (row === undefined) {
      [row = null] = await options.db.select().from(apiKeys).where(eq(apiKeys.id, keyId)).limit(1);
      options.keyCache.set(keyId, row, now.getTime());
    }
    if (!row || !sameHash(createHash("sha256").update(secret).digest(), storedHashOf(row))) throw new ApiError("API_KEY_INVALID");
    if (row.revokedAt && row.revokedAt <= now) throw new ApiError("API_KEY_REVOKED");
    if (row.expiresAt && row.expiresAt <= now) throw new ApiError("API_KEY_EXPIRED");
    const roles = row.roles as Role[];
    request.principal = { kind: "tenant", tenantId: row.tenantId, keyId: row.id, roles };
    if (!roles.some((role) => auth.includes(role))) {
      throw new ApiError("ROLE_NOT_PERMITTED", `this route admits ${auth.join(", ")}; the key has ${roles.join(", ")}`);
    }
    const last = lastUsedWritten.get(row.id) ?? 0;
    if (now.getTime() - last > LAST_USED_PRECISION_MS) {
      lastUsedWritten.set(row.id, now.getTime());
      await options.db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, row.id), eq(apiKeys.tenantId, row.tenantId)));
    }
  });
});
