/** Wires the run handlers from the data plane's configuration: artifact store, log, evidence. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { AGENT_ENTRY } from "@clawea/reference-agent";
import { type Db, type Keyring } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import { artifactStore, moveRun, type ArtifactBlobs } from "@clawea/runs";
import { createTransparencyLog } from "@clawea/translog";
import type { SandboxProvider, SandboxSpec } from "../sandbox/sandbox.provider.js";
import { createEvidenceBuilder, type LogAnchor } from "./evidence.js";
import { createRunHandlers } from "./run.handlers.js";
import { runsRepoFor } from "./runs.repo.js";

export interface RunRuntimeOptions {
  db: Db;
  redis: Redis;
  keyring: Keyring;
  provider: SandboxProvider;
  signer: KeyPair;
  logSigner: KeyPair;
  cstIssuers: readonly string[];
  /** Where artifacts' bytes go: `fsBlobs(root)` or `s3Blobs(…)` (`ARTIFACT_STORE`). */
  artifactBlobs: ArtifactBlobs;
  agentTimeoutMs: number;
  /** What every sandbox is wired to (a stateless run's own sandbox too). */
  gateway: SandboxSpec["gateway"];
  logger: Logger;
  now?: () => Date;
  jobsWritten?: () => void;
}

/** The content digest of the agent the sandbox runs: the local runtime's "image digest". */
export function agentDigest(): string {
  return `sha256:${createHash("sha256").update(readFileSync(AGENT_ENTRY)).digest("hex")}`;
}

export function createRunRuntime(options: RunRuntimeOptions) {
  const now = options.now ?? (() => new Date());
  const artifacts = artifactStore(options.db, options.artifactBlobs);
  const log = createTransparencyLog({ db: options.db, signer: options.logSigner, now });
  const anchor: LogAnchor = {
    async anchor({ tenantId, runId, leafHashB64u }) {
      await log.append([{ leaf_hash_b64u: leafHashB64u, tenant_id: tenantId, kind: "proof_bundle", ref: runId }]);
      return (await log.inclusionProof(leafHashB64u)) as unknown as Record<string, unknown>;
    },
  };
  const buildEvidence = createEvidenceBuilder({
    db: options.db,
    keyring: options.keyring,
    signer: options.signer,
    artifacts,
    log: anchor,
    now,
    runtime: { provider: options.provider.name, providerVersion: "0.1.0", agentDigest: agentDigest(), nodeVersion: process.version },
  });
  const handlers = createRunHandlers({
    db: options.db,
    redis: options.redis,
    keyring: options.keyring,
    provider: options.provider,
    buildEvidence,
    artifacts,
    cstIssuers: options.cstIssuers,
    now,
    logger: options.logger,
    agentTimeoutMs: options.agentTimeoutMs,
    gateway: options.gateway,
    ...(options.jobsWritten ? { jobsWritten: options.jobsWritten } : {}),
  });
  const repo = runsRepoFor(options.db);
  async function giveUp(payload: { tenant_id: string; run_id: string }, error: unknown): Promise<void> {
    options.logger.error({ err: error, run_id: payload.run_id }, "run job gave up: marking the run failed");
    const moved = await options.db.transaction((tx) =>
      moveRun(tx, { tenantId: payload.tenant_id, runId: payload.run_id, to: "failed", actor: "data-plane", now: now(), patch: { reasonCode: "DATA_PLANE_INTERNAL" }, detail: { reason_code: "DATA_PLANE_INTERNAL" } }),
    );
    const run = moved ?? (await repo.get(payload.tenant_id, payload.run_id));
    if (run && ["failed", "denied", "cancelled", "completed"].includes(run.state)) await buildEvidence(run).catch(() => undefined);
  }
  return { handlers, buildEvidence, artifacts, log, giveUp };
}
