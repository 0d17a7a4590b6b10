/** The gateway's push channel: the channels its replicas keep state from (see `createRedisPush`). */
import type { Redis } from "ioredis";
import { REVOCATION_CHANNEL } from "@clawea/runs";
import { USAGE_CHANNEL } from "../features/model-proxy/model-proxy.meter.js";
import { createRedisPush, type RedisPush, type RedisPushOptions } from "./redis-push.js";

/** CST revocations (the authenticator) and run budget counts (the model proxy's meter). */
export function createGatewayPush(redis: Redis, options: Omit<RedisPushOptions, "channels">): RedisPush {
  return createRedisPush(redis, { ...options, channels: [REVOCATION_CHANNEL, USAGE_CHANNEL] });
}
