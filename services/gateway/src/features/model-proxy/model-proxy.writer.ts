/**
 * Writes receipts and usage events behind the answer, batched: a write waits up to `lingerMs` for
 * others to join it (or until MAX_BATCH are queued), and calls that finish while a write is in flight
 * go together in the next one (group commit), so PostgreSQL sees one statement per batch rather than
 * one per call. On this VM a statement costs PostgreSQL a few hundred microseconds of CPU and each
 * side a socket write and a wake-up, which at a few hundred calls a second is most of a call's cost.
 * The caller already holds the signed receipt, and this replica serves it from `pending` until it is
 * stored; `drain` writes at once and is awaited on close, so a graceful shutdown loses nothing. A
 * failed batch is retried call by call, and what still fails is logged.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "@clawea/db";
import { modelProxyRepo, type StoredCall } from "./model-proxy.repo.js";

const MAX_BATCH = 500;
const RETRY_DELAY_MS = 200;
const DEFAULT_WRITE_LINGER_MS = 10;

export interface CallWriter {
  write(call: StoredCall): void;
  /** A call written here but not stored yet, so its receipt can be served meanwhile. */
  pending(receiptId: string): StoredCall | undefined;
  /** Stores everything written so far at once; resolves when it is stored (or given up on). */
  drain(): Promise<void>;
}

export function createCallWriter(db: Db, log: FastifyBaseLogger, lingerMs = DEFAULT_WRITE_LINGER_MS): CallWriter {
  const queue: StoredCall[] = [];
  const unstored = new Map<string, StoredCall>();
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

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

  function flushNow(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    flushing ??= flush();
  }

  return {
    write(call) {
      queue.push(call);
      unstored.set(call.envelope.payload.receipt_id, call);
      // A write in flight takes what queued meanwhile when it ends; otherwise this one waits for company.
      if (flushing) return;
      if (queue.length >= MAX_BATCH || lingerMs <= 0) flushNow();
      else timer ??= setTimeout(flushNow, lingerMs);
    },
    pending: (receiptId) => unstored.get(receiptId),
    async drain() {
      if (queue.length > 0) flushNow();
      while (flushing) await flushing;
    },
  };
}
