/** The WPC registry, the tenant's default policy, and agents' policy assignments and history. */
import type { App, AppDeps } from "../../app.js";
import { tenantOf } from "../../http/auth.js";
import { Page, PageQuery } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { Tenant } from "../tenants/tenants.schemas.js";
import {
  AgentIdParams,
  AssignPolicy,
  CreatePolicy,
  Policy,
  PolicyAssignment,
  PolicyHashParams,
  PolicyHistoryQuery,
  PolicySummary,
  SetDefaultPolicy,
} from "./policies.schemas.js";
import { createPoliciesService } from "./policies.service.js";

export async function policiesRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createPoliciesService({ db: deps.db, now: deps.now ?? (() => new Date()), jobsWritten: deps.jobsWritten });
  const tags = ["policies"];
  const security = [{ apiKey: [] }];

  app.post(
    "/v1/policies",
    {
      config: { auth: ["admin", "security"] },
      schema: {
        tags,
        operationId: "createPolicy",
        summary: "Register a WPC document; stored immutable under its hash. The same document again answers 200 with the stored policy.",
        security,
        body: CreatePolicy,
        response: { 200: Policy, 201: Policy, ...problemResponses(413, 422) },
      },
    },
    async (request, reply) => {
      const principal = tenantOf(request);
      const { created, policy } = await service.createPolicy(principal.tenantId, request.body, principal.keyId);
      return reply.code(created ? 201 : 200).send(policy);
    },
  );

  app.get(
    "/v1/policies",
    {
      config: { auth: ["admin", "security", "operator", "auditor", "developer"] },
      schema: { tags, operationId: "listPolicies", summary: "The tenant's policies, newest first.", security, querystring: PageQuery, response: { 200: Page(PolicySummary, "PolicySummary"), ...problemResponses() } },
    },
    async (request) => service.listPolicies(tenantOf(request).tenantId, request.query.limit, request.query.cursor),
  );

  app.get(
    "/v1/policies/:hash",
    {
      config: { auth: ["admin", "security", "operator", "auditor", "developer"] },
      schema: { tags, operationId: "getPolicy", summary: "A policy and its document.", security, params: PolicyHashParams, response: { 200: Policy, ...problemResponses(404) } },
    },
    async (request) => service.getPolicy(tenantOf(request).tenantId, request.params.hash),
  );

  app.put(
    "/v1/tenant/default-policy",
    {
      config: { auth: ["admin", "security"] },
      schema: {
        tags,
        operationId: "setDefaultPolicy",
        summary: "Set (or clear, with null) the tenant's default WPC.",
        security,
        body: SetDefaultPolicy,
        response: { 200: Tenant, ...problemResponses(413, 422) },
      },
    },
    async (request) => service.setDefaultPolicy(tenantOf(request).tenantId, request.body.policy_hash),
  );

  app.patch(
    "/v1/agents/:agent_id/policy",
    {
      config: { auth: ["admin", "security"] },
      schema: {
        tags,
        operationId: "assignAgentPolicy",
        summary: "Assign a WPC to an agent; the live agent's enforcement is updated through an `agent.policy_update` job.",
        security,
        params: AgentIdParams,
        body: AssignPolicy,
        response: { 200: PolicyAssignment, ...problemResponses(404, 409, 413, 422) },
      },
    },
    async (request) => {
      const principal = tenantOf(request);
      return service.assignPolicy(principal.tenantId, request.params.agent_id, request.body.policy_hash, principal.keyId);
    },
  );

  app.get(
    "/v1/agents/:agent_id/policy-history",
    {
      config: { auth: ["admin", "security", "auditor"] },
      schema: {
        tags,
        operationId: "getAgentPolicyHistory",
        summary: "Which WPC the agent had when, who assigned it; `at` answers with the one in force at that instant.",
        security,
        params: AgentIdParams,
        querystring: PolicyHistoryQuery,
        response: { 200: Page(PolicyAssignment, "PolicyAssignment"), ...problemResponses(404) },
      },
    },
    async (request) => service.policyHistory(tenantOf(request).tenantId, request.params.agent_id, request.query),
  );
}
