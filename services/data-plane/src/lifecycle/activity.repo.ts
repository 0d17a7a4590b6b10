/**
 * An agent's last activity, read from what other services already write: its runs (created, moved)
 * and the gateway's receipts of its model calls. The data plane writes neither table.
 */
import { sql } from "drizzle-orm";
import { RUN_STATES, TERMINAL_RUN_STATES, type Executor } from "@clawea/db";

export interface AgentActivity {
  /** The latest run or receipt timestamp, null when the agent has never run. */
  at: Date | null;
  /** A run is unfinished (planning, awaiting approval, applying): the agent must stay up for it. */
  busy: boolean;
}

/** Runs that still need their agent's sandbox. */
export const UNFINISHED_RUN_STATES = RUN_STATES.filter((state) => !TERMINAL_RUN_STATES.includes(state));
/** Finished runs no longer move: the latest ones bound the agent's past activity. */
const RECENT_RUNS = 20;

export async function agentActivity(db: Executor, tenantId: string, agentId: string): Promise<AgentActivity> {
  const unfinished = sql.join(
    UNFINISHED_RUN_STATES.map((state) => sql`${state}`),
    sql`, `,
  );
  // Every unfinished run plus the latest finished ones, by the (tenant, agent, id) index; receipts by
  // their (tenant, run, created_at) index. Bounded work however many runs the agent has had.
  const result = await db.execute<{ run_at: Date | string | null; receipt_at: Date | string | null; busy: boolean | null }>(sql`
    with considered as (
      (select id, created_at, updated_at, state from runs where tenant_id = ${tenantId} and agent_id = ${agentId} order by id desc limit ${RECENT_RUNS})
      union
      (select id, created_at, updated_at, state from runs where tenant_id = ${tenantId} and agent_id = ${agentId} and state in (${unfinished}))
    )
    select
      (select max(greatest(created_at, updated_at)) from considered) as run_at,
      (select bool_or(state in (${unfinished})) from considered) as busy,
      (select max(r.created_at) from gateway_receipts r where r.tenant_id = ${tenantId} and r.run_id in (select id from considered)) as receipt_at
  `);
  const row = result.rows[0];
  const times = [row?.run_at, row?.receipt_at].flatMap((value) => (value === null || value === undefined ? [] : [new Date(value)]));
  const at = times.length === 0 ? null : new Date(Math.max(...times.map((time) => time.getTime())));
  return { at, busy: row?.busy === true };
}
