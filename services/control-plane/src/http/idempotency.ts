/**
 * Idempotency-Key on POSTs: the first request with a key runs; a retry with the same key and the
 * same body gets the stored answer; the same key with another body is refused. The claim is a row
 * insert, so two concurrent retries cannot both run.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import fp from "fastify-plugin";
import type { FastifyInstance, onSendAsyncHookHandler, preHandlerAsyncHookHandler } from "fastify";
import { canonicalize } from "@clawea/protocol";
import { idempotencyKeys, type Db } from "@clawea/db";
import { ApiError } from "./problem.js";

declare module "fastify" {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

const KEY_RE = /^[A-Za-z0-9_.:-]{8,200}$/;

export const idempotencyPlugin = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  app.decorateRequest("idempotency", null);

  const claim: preHandlerAsyncHookHandler = async function (request, reply) {
    const key = request.headers["idempotency-key"];
    if (key === undefined || !request.principal) return;
    if (typeof key !== "string" || !KEY_RE.test(key)) {
      throw new ApiError("VALIDATION_FAILED", "Idempotency-Key must be 8-200 characters of [A-Za-z0-9_.:-]");
    }
    const scope = request.principal.kind === "tenant" ? request.principal.tenantId : "platform";
    const requestHash = createHash("sha256")
      .update(`${request.method} ${request.url}\n${canonicalize(request.body ?? null)}`)
      .digest("base64url");
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 1) {
      request.idempotency = { scope, key };
      return;
    }
    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    if (!existing || existing.requestHash !== requestHash) throw new ApiError("IDEMPOTENCY_KEY_REUSED");
    if (existing.responseStatus === null) throw new ApiError("IDEMPOTENCY_IN_PROGRESS");
    reply.header("idempotency-replayed", "true");
    return reply.code(existing.responseStatus).type("application/json").send(JSON.stringify(existing.responseBody));
  };

  const record: onSendAsyncHookHandler = async function (request, reply, payload) {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    const where = and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key));
    // A server fault is not an answer: release the key so the client's retry runs the request again.
    if (reply.statusCode >= 500) {
      await db.delete(idempotencyKeys).where(where);
      return payload;
    }
    const body = typeof payload === "string" && payload.length > 0 ? (JSON.parse(payload) as unknown) : null;
    await db.update(idempotencyKeys).set({ responseStatus: reply.statusCode, responseBody: body, completedAt: new Date() }).where(where);
    return payload;
  };

  // Only POST routes carry the hooks: as global hooks they cost every GET two promises for nothing
  // (measured on the agents bench). Route-level hooks run after the global ones, so auth has run.
  app.addHook("onRoute", (route) => {
    if (!(Array.isArray(route.method) ? route.method : [route.method]).includes("POST")) return;
    route.preHandler = [...hooksOf(route.preHandler), claim];
    route.onSend = [...hooksOf(route.onSend), record];
  });
});

const hooksOf = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]);
