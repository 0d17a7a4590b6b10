/**
 * Writes receipts and usage events behind the answer, batched: calls that finish while a write is in
 * flight go together in the next one (group commit), so PostgreSQL sees one statement per batch
 * rather than one per call. The caller already holds the signed receipt; `drain` is awaited on close
 * so a graceful shutdown loses nothing. A failed batch is retried call by call, and what still fails is logged.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "@clawea/db";
import { modelProxyRepo, type StoredCall } from "./model-proxy.repo.js";

const MAX_BATCH = 500;
const RETRY_DELAY_MS = 200;

export interface CallWriter {
  write(call: StoredCall): void;
  /** A call written here but not stored yet, so its receipt can be served meanwhile. */
  pending(receiptId: string): StoredCall | undefined;
  /** Resolves when everything written so far is stored (or given up on). */
  drain(): Promise<void>;
}

export function createCallWriter(db: Db, log: FastifyBaseLogger): CallWriter {
  const queue: StoredCall[] = [];
  const unstored = new Map<string, StoredCall>();
  let flushing: Promise<void> | null = null;

  async function store(batch: StoredCall[]): Promise<void> {
    try {
      await modelProxyRepo.storeCalls(db, batch);
      return;
    } catch {
      // One bad row must not take the batch with it, and a passing failure gets a second chance.
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
    for (const call of batch) {
      try {
        await modelProxyRepo.storeCalls(db, [call]);
      } catch (error) {
        log.error({ err: error, receipt_id: call.envelope.payload.receipt_id, run_id: call.runId }, "model call receipt and usage not stored");
      }
    }
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      await store(batch);
      for (const call of batch) unstored.delete(call.envelope.payload.receipt_id);
    }
    flushing = null;
  }

  return {
    write(call) {
      queue.push(call);
      unstored.set(call.envelope.payload.receipt_id, call);
      // Started on the next turn of the event loop, so the answer is written first.
      flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush);
    },
    pending: (receiptId) => unstored.get(receiptId),
    async drain() {
      while (flushing) await flushing;
    },
  };
}
