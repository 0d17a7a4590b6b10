/**
 * Approvals: the inbox (every tenant role may look), decisions (any key may try; the tenant's
 * approver roles and the self-approval rule decide), and the tenant's approval settings (admin,
 * security).
 */
import { Type } from "@sinclair/typebox";
import { tenantApprovalSettings } from "@clawea/db";
import type { App, AppDeps } from "../../app.js";
import { ROLES, tenantOf, type Role } from "../../http/auth.js";
import { problemResponses } from "../../http/problem.js";
import { Approval, ApprovalIdParams, ApprovalSettings, Decision, ListApprovalsQuery } from "./approvals.schemas.js";
import { loadSettings, type ApprovalsService } from "./approvals.service.js";
import type { DecisionKind } from "./approvals.domain.js";
import type { ScopeEntry } from "@clawea/policy";

const SETTINGS_WRITERS: readonly Role[] = ["admin", "security"];

export async function approvalsRoutes(app: App, deps: AppDeps, service: ApprovalsService): Promise<void> {
  const tags = ["approvals"];
  const security = [{ apiKey: [] }];

  app.get(
    "/v1/approvals",
    {
      config: { auth: ROLES },
      schema: { tags, operationId: "listApprovals", summary: "The approvals inbox, newest first.", security, querystring: ListApprovalsQuery, response: { 200: Type.Array(Approval), ...problemResponses() } },
    },
    async (request) => service.list(tenantOf(request).tenantId, request.query.status, request.query.limit),
  );

  app.get(
    "/v1/approvals/:approval_id",
    {
      config: { auth: ROLES },
      schema: { tags, operationId: "getApproval", summary: "One approval with its signed receipt once decided.", security, params: ApprovalIdParams, response: { 200: Approval, ...problemResponses(404) } },
    },
    async (request) => service.get(tenantOf(request).tenantId, request.params.approval_id),
  );

  app.post(
    "/v1/approvals/:approval_id/decision",
    {
      config: { auth: ROLES },
      schema: {
        tags,
        operationId: "decideApproval",
        summary:
          "Approve once, approve for scope (time-bound standing grant), or deny. Only the tenant's approver roles may decide, and not the requester of the run unless the tenant allows it. `X-Clawea-Client: dashboard` records the dashboard as the channel.",
        security,
        params: ApprovalIdParams,
        body: Decision,
        response: { 200: Approval, ...problemResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const principal = tenantOf(request);
      const via = request.headers["x-clawea-client"] === "dashboard" ? "dashboard" : "api";
      return service.decide(
        principal.tenantId,
        request.params.approval_id,
        { decision: request.body.decision as DecisionKind, ...(request.body.scope ? { scope: request.body.scope as ScopeEntry[] } : {}), ...(request.body.reason ? { reason: request.body.reason } : {}) },
        { kind: "key", keyId: principal.keyId, roles: principal.roles, via },
      );
    },
  );

  app.get(
    "/v1/approval-settings",
    {
      config: { auth: ROLES },
      schema: { tags, operationId: "getApprovalSettings", summary: "Who may approve, for how long cards and scope grants live, and the channels cards go to.", security, response: { 200: ApprovalSettings, ...problemResponses() } },
    },
    async (request) => {
      const s = await loadSettings(deps.db, tenantOf(request).tenantId);
      return {
        approver_roles: s.approverRoles as never,
        allow_self_approval: s.allowSelfApproval,
        approval_ttl_seconds: s.approvalTtlSeconds,
        scope_grant_ttl_seconds: s.scopeGrantTtlSeconds,
        channels: s.channels,
      };
    },
  );

  app.put(
    "/v1/approval-settings",
    {
      config: { auth: SETTINGS_WRITERS },
      schema: { tags, operationId: "putApprovalSettings", summary: "Replace the tenant's approval settings (admin, security).", security, body: ApprovalSettings, response: { 200: ApprovalSettings, ...problemResponses(415) } },
    },
    async (request) => {
      const tenantId = tenantOf(request).tenantId;
      const body = request.body;
      const values = {
        tenantId,
        approverRoles: body.approver_roles,
        allowSelfApproval: body.allow_self_approval ? 1 : 0,
        approvalTtlSeconds: body.approval_ttl_seconds,
        scopeGrantTtlSeconds: body.scope_grant_ttl_seconds,
        channels: body.channels,
        updatedAt: new Date(),
      };
      await deps.db.insert(tenantApprovalSettings).values(values).onConflictDoUpdate({ target: tenantApprovalSettings.tenantId, set: values });
      return body;
    },
  );
}
