/**
 * Audit: runs by filter, one run with everything that judges it (events, receipts, approval, WPC at
 * the time of the run, evidence), its export bundle (JSON and .tar.gz), its verification with the
 * platform's own trust anchors (no fetches: the pure verifier), and its shareable summary.
 */
import type { Db } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import { readRunEvents, type ArtifactStore } from "@clawea/runs";
import { verifyExportBundle, type TrustAnchors, type VerificationResult } from "@clawea/verify";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { runsRepo } from "../runs/runs.repo.js";
import { renderRun } from "../runs/runs.service.js";
import { renderApprovalView } from "../approvals/approvals.service.js";
import { auditRepo, type AuditFilter } from "./audit.repo.js";
import { buildExportBundle, exportBundleBytes, exportTarGz } from "./export.build.js";
import { sha256B64u, type ExportBundle } from "@clawea/protocol";

export interface AuditDeps {
  db: Db;
  signer: KeyPair;
  artifacts: ArtifactStore | null;
  trust: TrustAnchors;
  now: () => Date;
}

interface Evidence {
  proof_bundle_sha256_b64u: string;
  execution_attestation_sha256_b64u: string;
  urm_sha256_b64u: string;
  log_inclusion_proof_sha256_b64u: string | null;
  built_at: string;
  stateless: boolean;
}

export function createAuditService(deps: AuditDeps) {
  const { db } = deps;

  async function runOf(tenantId: string, runId: string) {
    const run = await runsRepo.get(db, tenantId, runId);
    if (!run) throw new ApiError("NOT_FOUND", "run not found");
    return run;
  }

  async function json(tenantId: string, hash: string): Promise<unknown> {
    if (!deps.artifacts) throw new ApiError("DEPENDENCY_NOT_CONFIGURED", "no artifact store is configured (ARTIFACT_ROOT)");
    const found = await deps.artifacts.get(tenantId, hash);
    if (!found) throw new ApiError("EVIDENCE_NOT_READY", `artifact ${hash} is not in the store`);
    return JSON.parse(Buffer.from(found.bytes).toString("utf8")) as unknown;
  }

  async function exportOf(tenantId: string, runId: string): Promise<ExportBundle> {
    const run = await runOf(tenantId, runId);
    const evidence = run.evidence as Evidence | null;
    if (!evidence) throw new ApiError("EVIDENCE_NOT_READY", `the run is ${run.state}; its evidence is written when it ends`);
    const approval = await runsRepo.approvalOf(db, tenantId, runId);
    const [proofBundle, attestation, urm, inclusion, wpc] = await Promise.all([
      json(tenantId, evidence.proof_bundle_sha256_b64u),
      json(tenantId, evidence.execution_attestation_sha256_b64u),
      json(tenantId, evidence.urm_sha256_b64u),
      evidence.log_inclusion_proof_sha256_b64u ? json(tenantId, evidence.log_inclusion_proof_sha256_b64u) : Promise.resolve(null),
      auditRepo.policyDocument(db, tenantId, run.policyHash),
    ]);
    return buildExportBundle({
      runId,
      builtAt: evidence.built_at,
      proofBundle,
      attestation,
      signer: deps.signer,
      metadata: {
        run_id: run.id,
        agent_id: run.agentId,
        state: run.state,
        reason_code: run.reasonCode,
        mission_id: run.missionId,
        policy_hash_b64u: run.policyHash,
        plan_hash_b64u: run.planHash,
        scope_hash_b64u: approval?.grantedScopeHash ?? run.scopeHash,
        stateless: evidence.stateless,
        human_approval_receipt_envelopes: approval?.receipt ? [approval.receipt] : [],
        log_inclusion_proofs: inclusion ? [inclusion] : [],
        urm,
        wpc,
      },
    });
  }

  function verify(bundle: ExportBundle): VerificationResult<unknown> {
    return verifyExportBundle(bundle, { trust: deps.trust, now: deps.now().toISOString() });
  }

  return {
    async list(tenantId: string, filter: AuditFilter, limit: number, cursor: string | undefined) {
      const rows = await auditRepo.list(db, tenantId, filter, limit + 1, decodeCursor(cursor));
      return toPage(rows, limit, (row) => row.id, (row) => ({
        id: row.id,
        agent_id: row.agentId,
        state: row.state,
        mission_id: row.missionId,
        policy_hash: row.policyHash,
        plan_hash: row.planHash,
        scope_hash: row.scopeHash,
        reason_code: row.reasonCode,
        has_evidence: row.evidence !== null,
        created_at: row.createdAt.toISOString(),
        completed_at: row.completedAt?.toISOString() ?? null,
      }));
    },

    async get(tenantId: string, runId: string) {
      const run = await runOf(tenantId, runId);
      const [approval, events, receipts, wpc] = await Promise.all([
        runsRepo.approvalOf(db, tenantId, runId),
        readRunEvents(db, tenantId, runId),
        auditRepo.receipts(db, tenantId, runId),
        auditRepo.policyDocument(db, tenantId, run.policyHash),
      ]);
      return {
        run: renderRun(run, approval, events),
        approval: approval ? renderApprovalView(approval) : null,
        wpc: { policy_hash: run.policyHash, document: wpc as Record<string, unknown> | null },
        receipts: receipts.map((row) => {
          const payload = (row.envelope as { payload?: Record<string, unknown> }).payload ?? {};
          return {
            receipt_id: row.receiptId,
            status: row.status,
            provider: String(payload["provider"] ?? ""),
            model: String(payload["model"] ?? ""),
            tokens_input: Number(payload["tokens_input"] ?? 0),
            tokens_output: Number(payload["tokens_output"] ?? 0),
            timestamp: row.createdAt.toISOString(),
            envelope: row.envelope as Record<string, unknown>,
          };
        }),
        evidence: (run.evidence as Record<string, unknown> | null) ?? null,
        links: {
          export: `/v1/audit/runs/${run.id}/export`,
          export_tar_gz: `/v1/audit/runs/${run.id}/export?format=tar.gz`,
          summary: `/v1/audit/runs/${run.id}/summary`,
          summary_html: `/v1/audit/runs/${run.id}/summary.html`,
          proof_bundle: (run.evidence as Evidence | null) ? `/v1/audit/artifacts/${(run.evidence as Evidence).proof_bundle_sha256_b64u}` : null,
        },
      };
    },

    async export(tenantId: string, runId: string): Promise<{ bundle: ExportBundle; bytes: Uint8Array; sha256: string }> {
      const bundle = await exportOf(tenantId, runId);
      const bytes = exportBundleBytes(bundle);
      return { bundle, bytes, sha256: sha256B64u(bytes) };
    },

    async exportTarGz(tenantId: string, runId: string): Promise<Buffer> {
      return exportTarGz(await exportOf(tenantId, runId));
    },

    async artifact(tenantId: string, hash: string) {
      if (!deps.artifacts) throw new ApiError("DEPENDENCY_NOT_CONFIGURED", "no artifact store is configured (ARTIFACT_ROOT)");
      const found = await deps.artifacts.get(tenantId, hash);
      if (!found) throw new ApiError("NOT_FOUND", "no such artifact");
      return found;
    },

    /** The shareable summary: verdict under the WPC and scope hashes, links, redacted side effects, what changed. */
    async summary(tenantId: string, runId: string) {
      const run = await runOf(tenantId, runId);
      const approval = await runsRepo.approvalOf(db, tenantId, runId);
      let verdict: "PASS" | "FAIL" | "PENDING" = "PENDING";
      let reasonCodes: string[] = [];
      if (run.evidence) {
        const result = verify(await exportOf(tenantId, runId));
        verdict = result.valid ? "PASS" : "FAIL";
        reasonCodes = [...result.reason_codes];
      }
      const plan = run.plan as { intended_side_effects?: { kind: string; target: string; summary: string; risk_flags: string[] }[]; workspace_diff?: { files: unknown[] } } | null;
      const events = await readRunEvents(db, tenantId, runId);
      const performed = events
        .filter((e) => e.event_type === "side_effect")
        .map((e) => ({ kind: String(e.payload["kind"]), target: String(e.payload["target"]), performed: e.payload["performed"] === true, reason_code: (e.payload["reason_code"] as string | null) ?? null }));
      return {
        run_id: run.id,
        agent_id: run.agentId,
        state: run.state,
        reason_code: run.reasonCode,
        mission_id: run.missionId,
        verdict,
        verification_reason_codes: reasonCodes,
        policy_hash: run.policyHash,
        scope_hash: approval?.grantedScopeHash ?? run.scopeHash,
        plan_hash: run.planHash,
        approval: approval ? { status: approval.status, decided_by: approval.decidedBy, decided_via: approval.decidedVia, decided_at: approval.decidedAt?.toISOString() ?? null, mode: approval.mode } : null,
        // Targets are already redacted to scheme://host:port and workspace paths: no query strings, bodies or credentials.
        intended_side_effects: (plan?.intended_side_effects ?? []).map((e) => ({ kind: e.kind, target: e.target, risk_flags: e.risk_flags })),
        side_effects: performed,
        refused: (run.refused as unknown[] | null) ?? [],
        workspace_diff: plan?.workspace_diff?.files ?? [],
        links: {
          run: `/v1/runs/${run.id}`,
          audit: `/v1/audit/runs/${run.id}`,
          export: `/v1/audit/runs/${run.id}/export`,
          export_tar_gz: `/v1/audit/runs/${run.id}/export?format=tar.gz`,
          proof_bundle: run.evidence ? `/v1/audit/artifacts/${(run.evidence as Evidence).proof_bundle_sha256_b64u}` : null,
        },
        created_at: run.createdAt.toISOString(),
        completed_at: run.completedAt?.toISOString() ?? null,
      };
    },

    verifyExport: verify,
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
