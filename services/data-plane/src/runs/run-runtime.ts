/** Wires the run handlers from the data plane's configuration: artifact store, log, evidence. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { OPENCLAW_ENTRY, OPENCLAW_LAUNCHER, runtimeVersions } from "@clawea/openclaw-runtime";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { AGENT_ENTRY } from "@clawea/reference-agent";
import { type Db, type Keyring } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import { artifactStore, isTerminal, moveRun, type ArtifactBlobs } from "@clawea/runs";
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

/**
 * What each agent runtime runs, for the attestation: the reference agent's file digest on this Node;
 * for OpenClaw, the digest of its launcher and its package manifest (which pins the version) on its
 * Node 24. A runtime that is not installed is absent (its runs fail before any evidence claims it).
 */
export function runtimeDigests(): Record<string, { digest: string; nodeVersion: string; version?: string }> {
  const runtimes: Record<string, { digest: string; nodeVersion: string; version?: string }> = { reference: { digest: agentDigest(), nodeVersion: process.version } };
  const versions = runtimeVersions();
  if (OPENCLAW_ENTRY !== "" && versions.openclaw !== null) {
    const hash = createHash("sha256").update(readFileSync(OPENCLAW_LAUNCHER)).update(readFileSync(join(dirname(OPENCLAW_ENTRY), "package.json")));
    runtimes["openclaw"] = { digest: `sha256:${hash.digest("hex")}`, nodeVersion: `v${versions.node ?? "unknown"}`, version: versions.openclaw };
  }
  return runtimes;
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
    runtime: { provider: options.provider.name, providerVersion: "0.1.0", runtimes: runtimeDigests() },
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
    if (run && isTerminal(run.state)) await buildEvidence(run).catch(() => undefined);
  }
  return { handlers, buildEvidence, artifacts, log, giveUp };
}
