/** Every feature's routes, registered in one place. */
import type { App, AppDeps } from "../app.js";
import type { ApiKeyCache } from "../http/api-key-cache.js";
import { artifactStore } from "@clawea/runs";
import type { TrustAnchors } from "@clawea/verify";
import { agentsRoutes } from "./agents/agents.routes.js";
import { auditRoutes } from "./audit/audit.routes.js";
import { createCardSender } from "./channels/card-sender.js";
import { channelsRoutes } from "./channels/channels.routes.js";
import { createAuditService } from "./audit/audit.service.js";
import { approvalsRoutes } from "./approvals/approvals.routes.js";
import { createApprovalsService } from "./approvals/approvals.service.js";
import { healthRoutes } from "./health/health.routes.js";
import { logRoutes } from "./log/log.routes.js";
import { policiesRoutes } from "./policies/policies.routes.js";
import { preflightRoutes } from "./preflight/preflight.routes.js";
import { runsRoutes } from "./runs/runs.routes.js";
import { createRunsService } from "./runs/runs.service.js";
import { secretsRoutes } from "./secrets/secrets.routes.js";
import { templatesRoutes } from "./templates/templates.routes.js";
import { tenantsRoutes } from "./tenants/tenants.routes.js";
import { usageRoutes } from "./usage/usage.routes.js";

/** Process-local state the app shares between plugins and features. */
export interface AppInternals {
  keyCache: ApiKeyCache;
}

export async function registerFeatures(app: App, deps: AppDeps, internals: AppInternals): Promise<void> {
  await healthRoutes(app, deps);
  await tenantsRoutes(app, deps, internals);
  await templatesRoutes(app, deps);
  await agentsRoutes(app, deps);
  await policiesRoutes(app, deps);
  await preflightRoutes(app, deps);
  await secretsRoutes(app, deps);
  await usageRoutes(app, deps);
  await logRoutes(app, deps);
  const now = deps.now ?? (() => new Date());
  const runs = createRunsService({ db: deps.db, keyring: deps.keyring, signer: deps.signer, redis: deps.redis, jobsWritten: deps.jobsWritten, now });
  await runsRoutes(app, deps, runs);
  const approvals = createApprovalsService({
    db: deps.db,
    keyring: deps.keyring,
    signer: deps.signer,
    jobsWritten: deps.jobsWritten,
    now,
    sendCard: deps.sendCard ?? createCardSender({ db: deps.db, keyring: deps.keyring }),
    ...(deps.dashboardUrl ? { dashboardUrl: deps.dashboardUrl } : {}),
  });
  await approvalsRoutes(app, deps, approvals);
  await channelsRoutes(app, deps, approvals);
  const trust = platformTrust(deps);
  const audit = createAuditService({ db: deps.db, signer: deps.signer, artifacts: deps.artifactBlobs ? artifactStore(deps.db, deps.artifactBlobs) : null, trust, now });
  await auditRoutes(app, audit, trust, now);
}

/** The anchors an auditor pins: this control plane, the log, and the configured gateways and data planes. */
export function platformTrust(deps: AppDeps): TrustAnchors {
  const roles = {
    control_plane: [deps.signer.did],
    gateway: [...(deps.trustedSigners?.gateway ?? [])],
    data_plane: [...(deps.trustedSigners?.dataPlane ?? [])],
    log: deps.logSigner ? [deps.logSigner.did] : [],
  };
  return { allowed_signer_dids: [...new Set(Object.values(roles).flat())], roles };
}
