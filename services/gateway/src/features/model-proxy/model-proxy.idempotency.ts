/**
 * Idempotency of model calls across gateway replicas, keyed by (tenant, run, Idempotency-Key) in Redis.
 * The first request claims the key; a retry while it runs is told to wait (IDEMPOTENCY_IN_PROGRESS);
 * a retry after it completed is answered with the stored answer and the same receipt, so one completed
 * call never has two receipts; a retry after a failure runs again (each attempt is receipted). The same
 * key with another body is IDEMPOTENCY_KEY_REUSED.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { sha256B64u } from "@clawea/protocol";
import { luaScript } from "./model-proxy.lua.js";

/** How long a claim lives if its replica dies mid-call; retries meanwhile are told to wait. */
const CLAIM_TTL_MS = 5 * 60_000;
/** How long a completed call's answer is kept for replay (OpenClaw retries for about 90 s). */
export const REPLAY_TTL_S = 24 * 60 * 60;
/** Answers larger than this are not kept; a retry then gets IDEMPOTENT_REPLAY_UNAVAILABLE with the receipt id. */
export const REPLAY_MAX_BYTES = 1024 * 1024;

export interface CompletedCall {
  requestHash: string;
  receiptId: string;
  /** base64url of the receipt envelope's JSON, as the receipt header carries it. */
  receipt: string;
  httpStatus: number;
  contentType: string;
  stream: boolean;
  /** The answer's bytes (without the receipt trailer), or null when too large to keep. */
  body: Buffer | null;
}

interface StoredRecord {
  state: "pending" | "done";
  owner?: string;
  request_hash: string;
  receipt_id?: string;
  receipt?: string;
  http_status?: number;
  content_type?: string;
  stream?: boolean;
  body?: string | null;
}

export interface Claim {
  redisKey: string;
  /** The pending record exactly as written: only the claim holding it may release it. */
  pendingValue: string;
  requestHash: string;
}

export type ClaimOutcome =
  | { kind: "claimed"; claim: Claim }
  | { kind: "in_progress" }
  | { kind: "reused" }
  | { kind: "completed"; call: CompletedCall };

const RELEASE = luaScript(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`);

export function createIdempotency(redis: Redis) {
  return {
    async claim(tenantId: string, runId: string, idempotencyKey: string, requestHash: string): Promise<ClaimOutcome> {
      const redisKey = `clawea:gw:idem:${tenantId}:${runId}:${sha256B64u(idempotencyKey)}`;
      const owner = randomUUID();
      const pending = JSON.stringify({ state: "pending", owner, request_hash: requestHash } satisfies StoredRecord);
      // Two rounds: a record that expires between SET NX and GET is claimed on the second.
      for (let round = 0; round < 2; round++) {
        if ((await redis.set(redisKey, pending, "PX", CLAIM_TTL_MS, "NX")) === "OK") return { kind: "claimed", claim: { redisKey, pendingValue: pending, requestHash } };
        const raw = await redis.get(redisKey);
        if (raw === null) continue;
        const record = JSON.parse(raw) as StoredRecord;
        if (record.request_hash !== requestHash) return { kind: "reused" };
        if (record.state === "pending") return { kind: "in_progress" };
        return {
          kind: "completed",
          call: {
            requestHash: record.request_hash,
            receiptId: record.receipt_id ?? "",
            receipt: record.receipt ?? "",
            httpStatus: record.http_status ?? 200,
            contentType: record.content_type ?? "application/json",
            stream: record.stream ?? false,
            body: typeof record.body === "string" ? Buffer.from(record.body, "base64") : null,
          },
        };
      }
      return { kind: "in_progress" };
    },

    async complete(claim: Claim, call: Omit<CompletedCall, "requestHash">): Promise<void> {
      const record: StoredRecord = {
        state: "done",
        request_hash: claim.requestHash,
        receipt_id: call.receiptId,
        receipt: call.receipt,
        http_status: call.httpStatus,
        content_type: call.contentType,
        stream: call.stream,
        body: call.body && call.body.length <= REPLAY_MAX_BYTES ? call.body.toString("base64") : null,
      };
      await redis.set(claim.redisKey, JSON.stringify(record), "EX", REPLAY_TTL_S);
    },

    /** Gives the key back after a failed attempt, so a retry runs again; only the claim's owner can. */
    async release(claim: Claim): Promise<void> {
      await RELEASE(redis, [claim.redisKey], [claim.pendingValue]);
    },
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
