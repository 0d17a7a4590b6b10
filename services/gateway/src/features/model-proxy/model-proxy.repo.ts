/** Receipts and metering in PostgreSQL: one statement writes a batch of calls' receipts and usage events. */
import { and, eq, sql } from "drizzle-orm";
import { gatewayReceipts, poolOf, type Db, type Executor } from "@clawea/db";
import type { TokenUsage } from "./model-proxy.domain.js";
import type { GatewayReceiptEnvelope, ReceiptStatus } from "./model-proxy.receipt.js";

export interface StoredCall {
  tenantId: string;
  agentId: string;
  templateId: string;
  runId: string;
  /** The caller's idempotency key, if it sent one. */
  requestKey: string | null;
  status: ReceiptStatus;
  envelope: GatewayReceiptEnvelope;
  /** `<provider>/<model>`, as usage is reported. */
  meteredModel: string;
  /** Null when the provider reported no usage: no usage event is written then. */
  usage: TokenUsage | null;
  at: Date;
}

const STORE_CALLS_SQL = `with input as (
    select * from jsonb_to_recordset($1::jsonb) as x(receipt_id text, tenant_id text, agent_id text, template_id text, run_id text,
      request_key text, status text, envelope jsonb, model text, metered boolean, tokens_in float8, tokens_out float8, occurred_at timestamptz)
  ), receipt as (
    insert into gateway_receipts (receipt_id, tenant_id, agent_id, run_id, request_key, status, envelope)
    select receipt_id, tenant_id, agent_id, run_id, request_key, status, envelope from input
  )
  insert into usage_events (tenant_id, agent_id, template_id, run_id, kind, model, quantity, occurred_at)
  select i.tenant_id, i.agent_id, i.template_id, i.run_id, u.kind, i.model, u.quantity, i.occurred_at
  from input i cross join lateral (values ('tokens_in', i.tokens_in), ('tokens_out', i.tokens_out)) as u(kind, quantity)
  where i.metered`;

export const modelProxyRepo = {
  /**
   * Writes many calls in one statement: their receipts, and two usage events (tokens_in, tokens_out) for
   * each call whose usage is known. The batch travels as one JSON parameter, so the statement's text is
   * always the same and each connection plans it once.
   */
  async storeCalls(db: Db, calls: readonly StoredCall[]): Promise<void> {
    const rows = calls.map((call) => ({
      receipt_id: call.envelope.payload.receipt_id,
      tenant_id: call.tenantId,
      agent_id: call.agentId,
      template_id: call.templateId,
      run_id: call.runId,
      request_key: call.requestKey,
      status: call.status,
      envelope: call.envelope,
      model: call.meteredModel,
      metered: call.usage !== null,
      tokens_in: call.usage?.input ?? 0,
      tokens_out: call.usage?.output ?? 0,
      occurred_at: call.at.toISOString(),
    }));
    await poolOf(db).query({ name: "gateway_store_calls", text: STORE_CALLS_SQL, values: [JSON.stringify(rows)] });
  },

  async findReceipt(ex: Executor, tenantId: string, runId: string, receiptId: string): Promise<GatewayReceiptEnvelope | null> {
    const [row] = await ex
      .select({ envelope: gatewayReceipts.envelope })
      .from(gatewayReceipts)
      .where(and(eq(gatewayReceipts.receiptId, receiptId), eq(gatewayReceipts.tenantId, tenantId), eq(gatewayReceipts.runId, runId)));
    return row ? (row.envelope as GatewayReceiptEnvelope) : null;
  },

  /** The receipt of a completed call made with this idempotency key, if any. */
  async findCompleted(ex: Executor, tenantId: string, runId: string, requestKey: string): Promise<string | null> {
    const [row] = await ex
      .select({ receiptId: gatewayReceipts.receiptId })
      .from(gatewayReceipts)
      .where(and(eq(gatewayReceipts.tenantId, tenantId), eq(gatewayReceipts.runId, runId), eq(gatewayReceipts.requestKey, requestKey), eq(gatewayReceipts.status, "success")))
      .limit(1);
    return row?.receiptId ?? null;
  },

  /** Tokens the run's receipts account for: the record a lost Redis counter is rebuilt from. */
  async usageFromReceipts(ex: Executor, tenantId: string, runId: string): Promise<{ tokens: number; costMinor: number }> {
    const result = await ex.execute<{ tokens: string | null; cost: string | null }>(sql`select
        sum((envelope->'payload'->>'tokens_input')::bigint + (envelope->'payload'->>'tokens_output')::bigint)::text as tokens,
        sum(coalesce((envelope->'payload'->'metadata'->>'cost_minor')::bigint, 0))::text as cost
      from gateway_receipts where tenant_id = ${tenantId} and run_id = ${runId}`);
    return { tokens: Number(result.rows[0]?.tokens ?? 0), costMinor: Number(result.rows[0]?.cost ?? 0) };
  },
};
