/** The WPC documents preflight decides under, read from the tenant's registry (every read is tenant-scoped). */
import { and, desc, eq, sql } from "drizzle-orm";
import { policies, type Executor } from "@clawea/db";

export const preflightRepo = {
  async documentByHash(ex: Executor, tenantId: string, hash: string): Promise<unknown> {
    const [row] = await ex
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)));
    return row?.document;
  },

  /** The newest document of the registry with this `policy_id`: what an `inherits` naming it resolves to. */
  async documentByPolicyId(ex: Executor, tenantId: string, policyId: string): Promise<unknown> {
    const [row] = await ex
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), sql`${policies.document} ->> 'policy_id' = ${policyId}`))
      .orderBy(desc(policies.createdAt), desc(policies.hash))
      .limit(1);
    return row?.document;
  },
};
