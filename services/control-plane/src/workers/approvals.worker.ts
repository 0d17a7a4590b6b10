/**
 * The control plane's one queue consumer: `approval.request`, written by the data plane when a plan
 * is stored. It belongs here because approvals are the control plane's (its key signs receipts and
 * apply CSTs; its secrets reach the channels). Retries (JOB_OPTIONS) cover channels that are down.
 */
import { UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { QUEUES } from "@clawea/queue";
import type { ApprovalsService } from "../features/approvals/approvals.service.js";

export function startApprovalsWorker(options: { connection: ConnectionOptions; service: ApprovalsService; prefix?: string; concurrency?: number }): Worker {
  return new Worker(
    QUEUES.approvals,
    async (job) => {
      if (job.name !== "approval.request") throw new UnrecoverableError("JOB_UNKNOWN");
      const data = job.data as { tenant_id?: unknown; run_id?: unknown };
      if (typeof data.tenant_id !== "string" || typeof data.run_id !== "string") throw new UnrecoverableError("JOB_PAYLOAD_INVALID");
      const approval = await options.service.requestApproval(data.tenant_id, data.run_id);
      return approval ? { approval_id: approval.id, status: approval.status } : { skipped: true };
    },
    { connection: options.connection, concurrency: options.concurrency ?? 4, ...(options.prefix ? { prefix: options.prefix } : {}) },
  );
}
