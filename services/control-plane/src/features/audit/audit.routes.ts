/**
 * Audit (admin, security, auditor), verification (every role: it reads nothing of the tenant's),
 * and the platform's trust anchors (every role, and the CLI pins them for offline verification).
 */
import type { App } from "../../app.js";
import { ROLES, tenantOf, type Role } from "../../http/auth.js";
import { Page } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { verifyExecutionAttestation, verifyExportBundle, verifyProofBundle, type TrustAnchors } from "@clawea/verify";
import type { RunState } from "@clawea/db";
import {
  ArtifactParams,
  AuditRun,
  AuditRunItem,
  AuditRunParams,
  AuditRunsQuery,
  ExportQuery,
  RunSummary,
  TrustAnchorsSchema,
  VerificationResultSchema,
  VerifyBody,
} from "./audit.schemas.js";
import type { AuditService } from "./audit.service.js";
import { summaryHtml } from "./summary.html.js";

export const AUDIT_READERS: readonly Role[] = ["admin", "security", "auditor"];

export async function auditRoutes(app: App, service: AuditService, trust: TrustAnchors, now: () => Date): Promise<void> {
  const tags = ["audit"];
  const security = [{ apiKey: [] }];

  app.get(
    "/v1/audit/runs",
    {
      config: { auth: AUDIT_READERS },
      schema: { tags, operationId: "listAuditRuns", summary: "Runs for audit, newest first: by agent, state, WPC hash, mission and time range (admin, security, auditor).", security, querystring: AuditRunsQuery, response: { 200: Page(AuditRunItem, "AuditRunItem"), ...problemResponses() } },
    },
    async (request) => {
      const q = request.query;
      return service.list(
        tenantOf(request).tenantId,
        {
          ...(q.agent_id ? { agentId: q.agent_id } : {}),
          ...(q.state ? { state: q.state as RunState } : {}),
          ...(q.policy_hash ? { policyHash: q.policy_hash } : {}),
          ...(q.mission_id ? { missionId: q.mission_id } : {}),
          ...(q.from ? { from: new Date(q.from) } : {}),
          ...(q.to ? { to: new Date(q.to) } : {}),
        },
        q.limit,
        q.cursor,
      );
    },
  );

  app.get(
    "/v1/audit/runs/:run_id",
    {
      config: { auth: AUDIT_READERS },
      schema: { tags, operationId: "getAuditRun", summary: "One run for audit: events, receipts, approval, the WPC at the time of the run, evidence and links.", security, params: AuditRunParams, response: { 200: AuditRun, ...problemResponses(404) } },
    },
    async (request) => service.get(tenantOf(request).tenantId, request.params.run_id),
  );

  app.get(
    "/v1/audit/runs/:run_id/export",
    {
      config: { auth: AUDIT_READERS },
      schema: {
        tags,
        operationId: "exportAuditRun",
        summary:
          "The run's signed, content-addressed Clawsig export bundle (`format=json`, the default), or the same files as a .tar.gz (`format=tar.gz`). `X-Clawea-Export-Sha256` is the bundle's content address. 409 EVIDENCE_NOT_READY until the run has ended.",
        security,
        params: AuditRunParams,
        querystring: ExportQuery,
        response: { 200: { description: "export_bundle.v1 JSON, or application/gzip", type: "object", additionalProperties: true }, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request).tenantId;
      if (request.query.format === "tar.gz") {
        const archive = await service.exportTarGz(tenantId, request.params.run_id);
        return reply
          .type("application/gzip")
          .header("content-disposition", `attachment; filename="${request.params.run_id}.export.tar.gz"`)
          .send(archive);
      }
      const { bytes, sha256 } = await service.export(tenantId, request.params.run_id);
      return reply
        .type("application/json")
        .header("x-clawea-export-sha256", sha256)
        .header("content-disposition", `attachment; filename="${request.params.run_id}.export.json"`)
        .send(Buffer.from(bytes));
    },
  );

  app.get(
    "/v1/audit/runs/:run_id/summary",
    {
      config: { auth: AUDIT_READERS },
      schema: { tags, operationId: "getRunSummary", summary: "The shareable run summary: VERIFIED PASS/FAIL under the WPC and scope hashes, redacted side effects, what changed.", security, params: AuditRunParams, response: { 200: RunSummary, ...problemResponses(404) } },
    },
    async (request) => service.summary(tenantOf(request).tenantId, request.params.run_id),
  );

  app.get(
    "/v1/audit/runs/:run_id/summary.html",
    {
      config: { auth: AUDIT_READERS },
      schema: { tags, operationId: "getRunSummaryHtml", summary: "The run summary as a small HTML page.", security, params: AuditRunParams, response: { 200: { type: "string", description: "text/html" }, ...problemResponses(404) } },
    },
    async (request, reply) => {
      const summary = await service.summary(tenantOf(request).tenantId, request.params.run_id);
      return reply.type("text/html; charset=utf-8").send(summaryHtml(summary));
    },
  );

  app.get(
    "/v1/audit/artifacts/:sha256",
    {
      config: { auth: AUDIT_READERS },
      schema: { tags, operationId: "getArtifact", summary: "One of the tenant's artifacts by its SHA-256 (content-addressed; bytes are checked against the address).", security, params: ArtifactParams, response: { 200: { type: "string", description: "the artifact's bytes" }, ...problemResponses(404) } },
    },
    async (request, reply) => {
      const found = await service.artifact(tenantOf(request).tenantId, request.params.sha256);
      return reply.type(found.contentType).send(Buffer.from(found.bytes));
    },
  );

  const verifyRoute = (path: string, operationId: string, what: string, run: (artifact: unknown, trust: TrustAnchors) => unknown) =>
    app.post(
      path,
      {
        config: { auth: ROLES },
        schema: {
          tags: ["verify"],
          operationId,
          summary: `Verify ${what} with the pure offline verifier (no fetches). Trust defaults to the platform's anchors (GET /v1/trust); pass \`trust\` to pin your own. Always 200: read \`valid\` and \`reason_codes\`.`,
          security,
          body: VerifyBody,
          response: { 200: VerificationResultSchema, ...problemResponses(413, 415) },
        },
        bodyLimit: 32 * 1024 * 1024,
      },
      async (request) => {
        const given = request.body.trust;
        const anchors: TrustAnchors = given ? { allowed_signer_dids: given.allowed_signer_dids, ...(given.roles ? { roles: given.roles as NonNullable<TrustAnchors["roles"]> } : {}) } : trust;
        return run(request.body.artifact, anchors) as never;
      },
    );
  verifyRoute("/v1/verify/export-bundle", "verifyExportBundle", "an export bundle", (artifact, anchors) => verifyExportBundle(artifact, { trust: anchors, now: now().toISOString() }));
  verifyRoute("/v1/verify/proof-bundle", "verifyProofBundle", "a proof bundle envelope", (artifact, anchors) => verifyProofBundle(artifact, { trust: anchors, now: now().toISOString() }));
  verifyRoute("/v1/verify/execution-attestation", "verifyExecutionAttestation", "an execution attestation envelope", (artifact, anchors) =>
    verifyExecutionAttestation(artifact, { trust: anchors, now: now().toISOString() }),
  );

  app.get(
    "/v1/trust",
    {
      config: { auth: ROLES },
      schema: { tags: ["verify"], operationId: "getTrust", summary: "The DIDs an auditor pins: gateway, data plane, control plane, log (the CLI's --trust file).", security, response: { 200: TrustAnchorsSchema, ...problemResponses() } },
    },
    async () => ({ allowed_signer_dids: [...trust.allowed_signer_dids], roles: Object.fromEntries(Object.entries(trust.roles ?? {}).map(([k, v]) => [k, [...v]])) }),
  );
}
