/**
 * Agents: deploy from a template, read, and request lifecycle actions of the data plane.
 *
 * Status is honest: it says what the sandbox is, and only the data plane moves it (the control plane
 * writes `provisioning` once, at creation). A request (deploy at creation, sleep, wake, destroy) is
 * recorded as the agent's `pending_action` together with its job, in one transaction, and answered
 * 202 with the agent as it now is; the data plane carries the job out, reports the new status and
 * clears `pending_action` (only while `pending_action_id` is its job's action id). While an action is
 * pending, another request is 409 ILLEGAL_TRANSITION (two sleeps never enqueue twice), except destroy,
 * which supersedes a pending deploy, sleep or wake (see agents.domain.ts). The pending action is set
 * with a conditional UPDATE on the status and pending action id the decision was made on, so of two
 * concurrent requests exactly one wins.
 *
 * Each agent gets its own Ed25519 did:key at creation; the seed is sealed under the KEK, bound to
 * tenant and agent, and never leaves through the API.
 */
import { randomUUID } from "node:crypto";
import DataLoader from "dataloader";
import { newId, seal, sealBinding, type AgentAction, type Db, type Keyring } from "@clawea/db";
import { generateKeyPair } from "@clawea/protocol";
import { enqueue, type JobName } from "@clawea/queue";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, encodeCursor } from "../../http/pagination.js";
import { templatesRepo } from "../templates/templates.repo.js";
import { assertDeployable } from "../templates/templates.service.js";
import type { Runtime } from "../templates/templates.schemas.js";
import { decideAction, effectiveSettings, type RequestableAction } from "./agents.domain.js";
import { agentsRepo, type AgentFilter, type AgentRow, type PageJson, type PageRequest } from "./agents.repo.js";
import type { Agent, CreateAgent, FleetSummary } from "./agents.schemas.js";

export interface AgentsDeps {
  db: Db;
  keyring: Keyring;
  /** Called after a commit that wrote outbox jobs. */
  jobsWritten: () => void;
  now: () => Date;
}

const JOB_OF = { deploy: "agent.deploy", sleep: "agent.sleep", wake: "agent.wake", destroy: "agent.destroy" } as const satisfies Record<AgentAction, JobName>;

/** Action ids name jobs too, so they hold no '.' or ':' (BullMQ job ids). */
const newActionId = (): string => `act_${randomUUID().replaceAll("-", "")}`;

// A conditional update that lost to a concurrent change is decided again on the fresh row.
const MAX_ATTEMPTS = 3;

function renderPending(row: { pendingAction: AgentAction | null; pendingActionId: string | null; pendingActionAt: Date | null }) {
  return row.pendingAction && row.pendingActionId && row.pendingActionAt
    ? { action: row.pendingAction, action_id: row.pendingActionId, requested_at: row.pendingActionAt.toISOString() }
    : null;
}

export function renderAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    template_id: row.templateId,
    status: row.status,
    pending_action: renderPending(row),
    did: row.did,
    policy_hash: row.policyHash,
    runtime: row.runtime as Runtime,
    model: row.model,
    resources: { cpu_millis: row.cpuMillis, memory_mb: row.memoryMb, disk_mb: row.diskMb },
    sleep_after_seconds: row.sleepAfterSeconds,
    stateless: row.stateless,
    secret_refs: row.secretRefs,
    config: row.config as Record<string, unknown>,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function illegal(row: AgentRow, detail: string): ApiError {
  return new ApiError("ILLEGAL_TRANSITION", detail, { current_status: row.status, pending_action: row.pendingAction });
}

export function createAgentsService({ db, keyring, jobsWritten, now }: AgentsDeps) {
  async function getRow(tenantId: string, agentId: string): Promise<AgentRow> {
    const row = await agentsRepo.get(db, tenantId, agentId);
    if (!row) throw new ApiError("NOT_FOUND", "agent not found");
    return row;
  }

  /*
   * Health reads, and list pages of one filter shape, that arrive in one turn of the event loop share
   * one statement (dispatched on setImmediate, after every request read in that turn has asked). Each
   * batch is read after its requests arrived, so a read still sees every write committed before it;
   * nothing is cached between batches. Under load this takes a PostgreSQL round trip (a write and a
   * read on the socket, a statement for the server) off most requests.
   */
  const batched = { cache: false, maxBatchSize: 128, batchScheduleFn: (dispatch: () => void) => setImmediate(dispatch) } as const;
  const healthReads = new DataLoader<{ tenantId: string; agentId: string }, string | undefined>((keys) => agentsRepo.healthJsonMany(db, keys), batched);
  const pageReads = new DataLoader<PageRequest, PageJson>((requests) => agentsRepo.listJsonMany(db, requests), batched);

  return {
    async create(tenantId: string, input: CreateAgent, keyId: string): Promise<Agent> {
      const agentId = newId("agent");
      // Key generation and sealing stay out of the transaction.
      const keyPair = generateKeyPair();
      const signingKeySealed = seal(keyring, keyPair.privateKey, sealBinding.agentKey(tenantId, agentId));
      keyPair.privateKey.fill(0);
      const actionId = newActionId();
      const at = now();

      const row = await db.transaction(async (tx) => {
        const template = await templatesRepo.getVisible(tx, tenantId, input.template_id, "key share");
        if (!template) throw new ApiError("REFERENCE_NOT_FOUND", "template_id names no template of this tenant", { reference: "template" });
        const settings = effectiveSettings(
          {
            model: template.model,
            resources: { cpu_millis: template.cpuMillis, memory_mb: template.memoryMb, disk_mb: template.diskMb },
            sleep_after_seconds: template.sleepAfterSeconds,
            stateless: template.stateless,
            secret_refs: template.secretRefs,
            config: template.config as Record<string, unknown>,
          },
          input.overrides,
        );
        await assertDeployable(tx, tenantId, { secretRefs: settings.secret_refs, config: settings.config });
        const policyHash = template.defaultPolicyHash ?? (await agentsRepo.tenantDefaultPolicy(tx, tenantId));
        const created = await agentsRepo.insert(tx, {
          id: agentId,
          tenantId,
          templateId: template.id,
          name: input.name,
          status: "provisioning",
          did: keyPair.did,
          signingKeySealed,
          policyHash,
          runtime: template.runtime,
          model: settings.model,
          cpuMillis: settings.resources.cpu_millis,
          memoryMb: settings.resources.memory_mb,
          diskMb: settings.resources.disk_mb,
          sleepAfterSeconds: settings.sleep_after_seconds,
          stateless: settings.stateless,
          secretRefs: settings.secret_refs,
          config: settings.config,
          pendingAction: "deploy",
          pendingActionId: actionId,
          pendingActionAt: at,
          createdAt: at,
          updatedAt: at,
          createdByKeyId: keyId,
        });
        await agentsRepo.insertPolicyHistory(tx, {
          id: newId("policyAssignment"),
          tenantId,
          agentId,
          policyHash,
          effectiveFrom: at,
          assignedByKeyId: keyId,
        });
        await enqueue(tx, tenantId, JOB_OF.deploy, { tenant_id: tenantId, agent_id: agentId, action_id: actionId, requested_at: at.toISOString() });
        return created;
      });
      jobsWritten();
      return renderAgent(row);
    },

    async get(tenantId: string, agentId: string): Promise<Agent> {
      return renderAgent(await getRow(tenantId, agentId));
    },

    /** A page of `Agent`s as its JSON text (`AgentPage`), from the JSON the rows keep (see agents.repo.ts). */
    async listJson(tenantId: string, filter: AgentFilter, limit: number, cursor: string | undefined): Promise<string> {
      const page = await pageReads.load({ tenantId, filter, limit, before: decodeCursor(cursor) });
      return `{"items":[${page.items}],"next_cursor":${page.lastId === null ? "null" : JSON.stringify(encodeCursor(page.lastId))}}`;
    },

    /** The agent's `AgentHealth` as JSON text, as its row keeps it (see agents.repo.ts). */
    async healthJson(tenantId: string, agentId: string): Promise<string> {
      const json = await healthReads.load({ tenantId, agentId });
      if (json === undefined) throw new ApiError("NOT_FOUND", "agent not found");
      return json;
    },

    /** Records `action` as pending and enqueues its job, or refuses it for the agent's current state. */
    async request(tenantId: string, agentId: string, action: RequestableAction): Promise<Agent> {
      for (let attempt = 1; ; attempt++) {
        const current = await getRow(tenantId, agentId);
        const decision = decideAction(current, action);
        if (!decision.allowed) throw illegal(current, decision.detail);
        const actionId = newActionId();
        const at = now();
        const updated = await db.transaction(async (tx) => {
          const row = await agentsRepo.setPendingIf(
            tx,
            tenantId,
            agentId,
            { status: current.status, pendingActionId: current.pendingActionId },
            { action, actionId, at },
          );
          if (row) await enqueue(tx, tenantId, JOB_OF[action], { tenant_id: tenantId, agent_id: agentId, action_id: actionId, requested_at: at.toISOString() });
          return row;
        });
        if (updated) {
          jobsWritten();
          return renderAgent(updated);
        }
        if (attempt >= MAX_ATTEMPTS) throw illegal(current, "the agent changed while the request was decided; read it and try again");
      }
    },

    async fleetSummary(tenantId: string): Promise<FleetSummary> {
      const cells = await agentsRepo.fleetCells(db, tenantId);
      const summary: FleetSummary = {
        total: 0,
        by_status: { provisioning: 0, running: 0, sleeping: 0, destroyed: 0, failed: 0 },
        by_template: [],
        resources: { cpu_millis: 0, memory_mb: 0, disk_mb: 0 },
      };
      const byTemplate = new Map<string, FleetSummary["by_template"][number]>();
      for (const cell of cells) {
        summary.by_status[cell.status] += cell.agents;
        if (cell.status === "destroyed") continue;
        summary.total += cell.agents;
        summary.resources.cpu_millis += cell.cpuMillis;
        summary.resources.memory_mb += cell.memoryMb;
        summary.resources.disk_mb += cell.diskMb;
        const entry = byTemplate.get(cell.templateId) ?? { template_id: cell.templateId, template_name: cell.templateName, agents: 0 };
        entry.agents += cell.agents;
        byTemplate.set(cell.templateId, entry);
      }
      summary.by_template = [...byTemplate.values()].sort((a, b) => b.agents - a.agents || a.template_id.localeCompare(b.template_id));
      return summary;
    },
  };
}
