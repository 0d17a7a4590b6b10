/**
 * Runs. Start: admin, operator, developer. Read and follow: those and security, auditor. Cancel:
 * admin, operator, and the developer who can start runs.
 */
import type { App, AppDeps } from "../../app.js";
import { tenantOf, type Role } from "../../http/auth.js";
import { Page } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { AgentRunParams, CreateRun, EventsQuery, ListRunsQuery, Run, RunIdParams, RunSummaryItem } from "./runs.schemas.js";
import { renderEvent, type RunsService } from "./runs.service.js";

export const RUN_STARTERS: readonly Role[] = ["admin", "operator", "developer"];
export const RUN_READERS: readonly Role[] = ["admin", "operator", "developer", "security", "auditor"];

const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

export async function runsRoutes(app: App, _deps: AppDeps, service: RunsService): Promise<void> {
  const tags = ["runs"];
  const security = [{ apiKey: [] }];

  app.post(
    "/v1/agents/:agent_id/runs",
    {
      config: { auth: RUN_STARTERS },
      schema: {
        tags,
        operationId: "startRun",
        summary: "Start a run: 202 with the run planning (phase A: read-only, side effects captured, not performed) (admin, operator, developer).",
        security,
        params: AgentRunParams,
        body: CreateRun,
        response: { 202: Run, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = tenantOf(request);
      return reply.code(202).send(await service.start(principal.tenantId, request.params.agent_id, request.body, principal.keyId));
    },
  );

  app.get(
    "/v1/runs",
    {
      config: { auth: RUN_READERS },
      schema: {
        tags,
        operationId: "listRuns",
        summary: "Runs, newest first, optionally by agent or state.",
        security,
        querystring: ListRunsQuery,
        response: { 200: Page(RunSummaryItem, "RunSummaryItem"), ...problemResponses() },
      },
    },
    async (request) => {
      const { limit, cursor, agent_id: agentId, state } = request.query;
      return service.list(tenantOf(request).tenantId, { ...(agentId ? { agentId } : {}), ...(state ? { state } : {}) }, limit, cursor);
    },
  );

  app.get(
    "/v1/runs/:run_id",
    {
      config: { auth: RUN_READERS },
      schema: {
        tags,
        operationId: "getRun",
        summary: "One run: state, phase, plan, approval, events so far, evidence links.",
        security,
        params: RunIdParams,
        response: { 200: Run, ...problemResponses(404) },
      },
    },
    async (request) => service.get(tenantOf(request).tenantId, request.params.run_id),
  );

  app.get(
    "/v1/runs/:run_id/events",
    {
      config: { auth: RUN_READERS },
      schema: {
        tags,
        operationId: "streamRunEvents",
        summary:
          "The run's event chain as Server-Sent Events (`event: run_event`, `id` = seq), live until the run has ended and its evidence is written; `Last-Event-ID` resumes. With `follow=false`, the events so far and the stream ends.",
        security,
        params: RunIdParams,
        querystring: EventsQuery,
        response: { 200: { type: "string", description: "text/event-stream" }, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request).tenantId;
      const runId = request.params.run_id;
      const lastId = Number(request.headers["last-event-id"]);
      let next = Number.isSafeInteger(lastId) && lastId >= 0 ? lastId + 1 : request.query.from_seq;
      // Fails with 404 before the stream starts.
      let batch = await service.eventsFrom(tenantId, runId, next);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-request-id": request.id,
      });
      let closed = false;
      request.raw.on("close", () => (closed = true));
      let lastWrite = Date.now();
      for (;;) {
        for (const event of batch.events) {
          raw.write(`id: ${event.seq}\nevent: run_event\ndata: ${JSON.stringify(renderEvent(event))}\n\n`);
          next = event.seq + 1;
          lastWrite = Date.now();
        }
        if (closed || batch.terminal || !request.query.follow) break;
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          raw.write(": keep-alive\n\n");
          lastWrite = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        try {
          batch = await service.eventsFrom(tenantId, runId, next);
        } catch (error) {
          request.log.warn({ err: error }, "event stream stopped");
          break;
        }
      }
      if (!closed) {
        raw.write(`event: end\ndata: ${JSON.stringify({ next_seq: next })}\n\n`);
        raw.end();
      }
    },
  );

  app.post(
    "/v1/runs/:run_id/cancel",
    {
      config: { auth: RUN_STARTERS },
      schema: {
        tags,
        operationId: "cancelRun",
        summary: "Cancel a run that has not ended: its CSTs are revoked at once, its evidence still written (admin, operator, developer).",
        security,
        params: RunIdParams,
        response: { 200: Run, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      const principal = tenantOf(request);
      return service.cancel(principal.tenantId, request.params.run_id, principal.keyId);
    },
  );
}
