/** Builds the gateway's model API (Fastify, no listening): error shape, health, and the proxy routes. */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Db, Keyring } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import type { ChainCommit, ProviderRoute } from "./config.js";
import type { RunAuthenticator } from "./auth/run-context.js";
import { errorBody, GatewayError } from "./http/errors.js";
import { registerFeatures } from "./features/index.js";
import type { RedisPush } from "./push/redis-push.js";

export interface GatewayDeps {
  db: Db;
  redis: Redis;
  keyring: Keyring;
  /** Signs gateway receipts. */
  signer: KeyPair;
  gatewayId: string;
  providers: Record<string, ProviderRoute>;
  authenticator: RunAuthenticator;
  upstreamTimeoutMs: number;
  logger: FastifyBaseLogger | false;
  bodyLimitBytes?: number;
  now?: () => Date;
  /** Default `async` (see GatewayConfig.chainCommit). */
  chainCommit?: ChainCommit;
  /** Run budget counts pushed by Redis (the meter reads a warm run's counter once, not per call). */
  push?: RedisPush | undefined;
}

export type GatewayApp = FastifyInstance;

export async function buildGatewayApp(deps: GatewayDeps): Promise<GatewayApp> {
  const app = Fastify({
    ...(deps.logger === false ? { logger: false } : { loggerInstance: deps.logger }),
    bodyLimit: deps.bodyLimitBytes ?? 4 * 1024 * 1024,
    genReqId: () => `req_${randomUUID().replaceAll("-", "")}`,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let gatewayError: GatewayError;
    if (error instanceof GatewayError) gatewayError = error;
    else if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") gatewayError = new GatewayError("BODY_TOO_LARGE");
    else if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") gatewayError = new GatewayError("UNSUPPORTED_MEDIA_TYPE");
    else if (error.validation || error.statusCode === 400) gatewayError = new GatewayError("VALIDATION_FAILED", error.message);
    else {
      request.log.error({ err: error }, "gateway request failed");
      gatewayError = new GatewayError("INTERNAL_ERROR");
    }
    return reply.code(gatewayError.status).send(errorBody(gatewayError.code, gatewayError.message, request.id, gatewayError.extra));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`, request.id)),
  );
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  // `push`: whether this process keeps revocations and budget counts from the push channel ("live") or
  // reads Redis per call meanwhile ("reading_redis", still correct, slower); "off" without a channel.
  app.get("/healthz", async () => ({ status: "ok", push: deps.push ? (deps.push.live ? "live" : "reading_redis") : "off" }));
  await registerFeatures(app, deps);
  return app;
}
