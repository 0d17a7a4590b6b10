/**
 * Agents and the fleet. Reads: admin, security, operator, auditor, developer; the fleet summary also
 * finance (it is what the fleet costs). Deploy and lifecycle requests: admin, operator.
 */
import type { FastifyReply } from "fastify";
import type { App, AppDeps } from "../../app.js";
import { tenantOf, type Role } from "../../http/auth.js";
import { Page } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { Agent, AgentHealth, AgentIdParams, CreateAgent, FleetSummary, ListAgentsQuery } from "./agents.schemas.js";
import { createAgentsService } from "./agents.service.js";

export const AGENT_READERS: readonly Role[] = ["admin", "security", "operator", "auditor", "developer"];
export const AGENT_WRITERS: readonly Role[] = ["admin", "operator"];
export const FLEET_READERS: readonly Role[] = [...AGENT_READERS, "finance"];

/**
 * Sends JSON text that PostgreSQL wrote for the route's 200 schema. A string with a JSON content type
 * skips Fastify's serializer; the schema still documents the body (agents.json.test.ts holds the
 * two to the same bytes).
 */
function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(json);
}

export async function agentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createAgentsService({ db: deps.db, keyring: deps.keyring, jobsWritten: deps.jobsWritten, now: deps.now ?? (() => new Date()) });
  const tags = ["agents"];
  const security = [{ apiKey: [] }];

  app.post(
    "/v1/agents",
    {
      config: { auth: AGENT_WRITERS },
      schema: {
        tags,
        operationId: "createAgent",
        summary: "Deploy an agent from a template: 202 with the agent provisioning and its deploy pending (admin, operator).",
        security,
        body: CreateAgent,
        response: { 202: Agent, ...problemResponses(409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const principal = tenantOf(request);
      return reply.code(202).send(await service.create(principal.tenantId, request.body, principal.keyId));
    },
  );

  app.get(
    "/v1/agents",
    {
      config: { auth: AGENT_READERS },
      schema: {
        tags,
        operationId: "listAgents",
        summary: "Agents, newest first, optionally by status or template (admin, security, operator, auditor, developer).",
        security,
        querystring: ListAgentsQuery,
        response: { 200: Page(Agent, "Agent"), ...problemResponses() },
      },
    },
    async (request, reply) => {
      const { limit, cursor, status, template_id: templateId } = request.query;
      const filter = { ...(status ? { status } : {}), ...(templateId ? { templateId } : {}) };
      return sendJson(reply, await service.listJson(tenantOf(request).tenantId, filter, limit, cursor));
    },
  );

  app.get(
    "/v1/agents/:agent_id",
    {
      config: { auth: AGENT_READERS },
      schema: {
        tags,
        operationId: "getAgent",
        summary: "One agent (admin, security, operator, auditor, developer).",
        security,
        params: AgentIdParams,
        response: { 200: Agent, ...problemResponses(404) },
      },
    },
    async (request) => service.get(tenantOf(request).tenantId, request.params.agent_id),
  );

  app.get(
    "/v1/agents/:agent_id/health",
    {
      config: { auth: AGENT_READERS },
      schema: {
        tags,
        operationId: "getAgentHealth",
        summary: "Status and usage as the data plane last reported them (admin, security, operator, auditor, developer).",
        security,
        params: AgentIdParams,
        response: { 200: AgentHealth, ...problemResponses(404) },
      },
    },
    async (request, reply) => sendJson(reply, await service.healthJson(tenantOf(request).tenantId, request.params.agent_id)),
  );

  const lifecycle = (action: "sleep" | "wake", summary: string) =>
    app.post(
      `/v1/agents/:agent_id/${action}`,
      {
        config: { auth: AGENT_WRITERS },
        schema: {
          tags,
          operationId: `${action}Agent`,
          summary,
          security,
          params: AgentIdParams,
          response: { 202: Agent, ...problemResponses(404, 409, 422) },
        },
      },
      async (request, reply) => reply.code(202).send(await service.request(tenantOf(request).tenantId, request.params.agent_id, action)),
    );
  lifecycle("sleep", "Ask the data plane to stop a running agent's sandbox (workspace kept unless stateless); 409 unless running with nothing pending (admin, operator).");
  lifecycle("wake", "Ask the data plane to start a sleeping agent's sandbox; 409 unless sleeping with nothing pending (admin, operator).");

  app.delete(
    "/v1/agents/:agent_id",
    {
      config: { auth: AGENT_WRITERS },
      schema: {
        tags,
        operationId: "destroyAgent",
        summary: "Ask the data plane to destroy an agent; supersedes a pending deploy, sleep or wake; 409 once destroyed or destroying (admin, operator).",
        security,
        params: AgentIdParams,
        response: { 202: Agent, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await service.request(tenantOf(request).tenantId, request.params.agent_id, "destroy")),
  );

  app.get(
    "/v1/fleet/summary",
    {
      config: { auth: FLEET_READERS },
      schema: {
        tags,
        operationId: "getFleetSummary",
        summary: "Agent counts by status and template and resource totals (admin, security, operator, auditor, developer, finance).",
        security,
        response: { 200: FleetSummary, ...problemResponses() },
      },
    },
    async (request) => service.fleetSummary(tenantOf(request).tenantId),
  );
}
