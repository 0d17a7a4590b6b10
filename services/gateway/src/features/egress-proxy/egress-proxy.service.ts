/**
 * One egress attempt, from credential to open socket: authenticate the run's CST, decide with the policy
 * package (plan phase: captured and denied; apply phase: only the approved scope), refuse private addresses
 * the policy does not name, record the attempt, then dial the address that was checked.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { connect, type Socket } from "node:net";
import type { Logger } from "pino";
import type { Db } from "@clawea/db";
import type { ReasonCode } from "@clawea/protocol";
import { decide, NO_USAGE, sideEffectOf, type ApprovedScope, type IntendedSideEffect, type PolicyRequest, type Usage } from "@clawea/policy";
import type { RunAuthenticator, RunContext } from "../../auth/run-context.js";
import { blockedAddressKind, literalAddress, type EgressTarget, type ProxyCredential } from "./egress-proxy.domain.js";
import { insertEgressRecord, markEgressFailed, type EgressDecision } from "./egress-proxy.repo.js";

export const EGRESS_SCOPE = "side_effect:network_egress";

export interface EgressGateDeps {
  authenticator: Pick<RunAuthenticator, "authenticate">;
  db: Db;
  now: () => Date;
  logger?: Logger;
  /** Bounds the DNS lookup and, separately, the TCP connect. */
  connectTimeoutMs: number;
  /**
   * Apply phase: the approved scope the run's CST pins (`approvedScopeHash`); null when none is stored.
   * Default: none, so apply-phase egress is denied until approvals are stored (issue 6).
   */
  approvedScopeOf?: (run: RunContext) => Promise<ApprovedScope | null>;
  /** The run's usage so far, read by WPC conditions (`Run:TokensUsed`); default zero. */
  usageOf?: (run: RunContext) => Promise<Usage>;
  /** Resolves a host name to every address it has (default: the system resolver). */
  lookup?: (host: string) => Promise<string[]>;
}

export interface Refusal {
  code: ReasonCode;
  detail: string;
  intendedSideEffect?: IntendedSideEffect;
}

export type Admission =
  /** `recorded`: what the run's egress record says (null: no run was identified, nothing recorded). */
  | { ok: false; refusal: Refusal; run: RunContext | null; recorded: EgressDecision | null }
  | { ok: true; run: RunContext; recordId: number; addresses: string[] };

export type Admitted = Extract<Admission, { ok: true }>;

export type Dialled = { ok: true; socket: Socket } | { ok: false; refusal: Refusal };

// Nothing leaves without its record: an attempt that cannot be written down is not made.
const UNRECORDED: Refusal = { code: "DEPENDENCY_UNAVAILABLE", detail: "the egress record could not be written, so nothing was sent" };

async function systemLookup(host: string): Promise<string[]> {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? "unknown error";
}

/** One TCP connection to the first address that answers, all within `timeoutMs`. */
function dialAny(addresses: readonly string[], port: number, timeoutMs: number): Promise<Dialled> {
  return new Promise((resolve) => {
    let current: Socket | null = null;
    let lastError = "no address";
    const timer = setTimeout(() => {
      current?.destroy();
      current = null;
      resolve({ ok: false, refusal: { code: "EGRESS_UPSTREAM_TIMEOUT", detail: `no connection to port ${port} within ${timeoutMs} ms` } });
    }, timeoutMs);
    const attempt = (index: number): void => {
      const address = addresses[index];
      if (address === undefined) {
        clearTimeout(timer);
        resolve({ ok: false, refusal: { code: "EGRESS_UPSTREAM_UNREACHABLE", detail: `connecting to port ${port} failed: ${lastError}` } });
        return;
      }
      const socket = connect({ host: address, port });
      current = socket;
      socket.once("connect", () => {
        if (current !== socket) return;
        clearTimeout(timer);
        // The caller attaches its own handlers; until then a late error must not crash the process.
        socket.removeAllListeners("error");
        socket.on("error", () => socket.destroy());
        resolve({ ok: true, socket });
      });
      socket.once("error", (error) => {
        socket.destroy();
        if (current !== socket) return;
        lastError = errorCode(error);
        attempt(index + 1);
      });
    };
    attempt(0);
  });
}

export function createEgressGate(deps: EgressGateDeps) {
  const approvedScopeOf = deps.approvedScopeOf ?? (async () => null);
  const usageOf = deps.usageOf ?? (async () => NO_USAGE);
  const lookup = deps.lookup ?? systemLookup;

  async function record(
    run: RunContext,
    target: EgressTarget,
    decision: EgressDecision,
    reasonCode: ReasonCode | null,
    sideEffect: Parameters<typeof insertEgressRecord>[1]["sideEffect"],
  ): Promise<number> {
    return insertEgressRecord(deps.db, {
      tenantId: run.tenantId,
      agentId: run.agentId,
      runId: run.runId,
      phase: run.phase,
      scheme: target.scheme,
      host: target.host,
      port: target.port,
      method: target.method ?? "CONNECT",
      decision,
      reasonCode,
      sideEffect,
      at: deps.now(),
    });
  }

  /** A refusal the run's evidence keeps; if even the record cannot be written, the answer is 503 and nothing happens. */
  async function refuse(run: RunContext, target: EgressTarget, refusal: Refusal, decision: EgressDecision = "deny"): Promise<Admission> {
    try {
      await record(run, target, decision, refusal.code, refusal.intendedSideEffect ?? null);
      return { ok: false, refusal, run, recorded: decision };
    } catch (error) {
      deps.logger?.error({ err: error, run_id: run.runId }, "egress record could not be written");
      return { ok: false, refusal: UNRECORDED, run, recorded: null };
    }
  }

  async function resolve(target: EgressTarget): Promise<string[] | Refusal> {
    const literal = literalAddress(target.host);
    if (literal !== null) return [literal];
    try {
      const addresses = await within(lookup(target.host), deps.connectTimeoutMs);
      return addresses.length > 0 ? addresses : { code: "EGRESS_UPSTREAM_UNREACHABLE", detail: `${target.host} has no address` };
    } catch (error) {
      return error instanceof Timeout
        ? { code: "EGRESS_UPSTREAM_TIMEOUT", detail: `resolving ${target.host} took longer than ${deps.connectTimeoutMs} ms` }
        : { code: "EGRESS_UPSTREAM_UNREACHABLE", detail: `resolving ${target.host} failed: ${errorCode(error)}` };
    }
  }

  /** Decides one attempt and records it (unless no run could be identified); on `ok` the caller may dial. */
  async function admit(credential: ProxyCredential, target: EgressTarget): Promise<Admission> {
    if (credential.kind === "none") {
      return { ok: false, refusal: { code: "EGRESS_PROXY_AUTH_REQUIRED", detail: "send the run's CST as Proxy-Authorization: Bearer <cst>" }, run: null, recorded: null };
    }
    if (credential.kind === "unusable") {
      return { ok: false, refusal: { code: "CST_MALFORMED", detail: "Proxy-Authorization must be Bearer <cst>, or Basic with the CST as password" }, run: null, recorded: null };
    }
    const auth = await deps.authenticator.authenticate(credential.token, EGRESS_SCOPE);
    if (!auth.ok) return { ok: false, refusal: { code: auth.reasonCode, detail: auth.detail }, run: null, recorded: null };
    const { run } = auth;

    let approvedScope: ApprovedScope | null = null;
    let usage: Usage;
    try {
      if (run.phase === "apply") approvedScope = await approvedScopeOf(run);
      usage = await usageOf(run);
    } catch (error) {
      deps.logger?.error({ err: error, run_id: run.runId }, "approved scope or usage could not be loaded");
      return refuse(run, target, { code: "DEPENDENCY_UNAVAILABLE", detail: "the run's approved scope or usage could not be loaded" });
    }
    if (approvedScope !== null && approvedScope.scope_hash_b64u !== run.approvedScopeHash) {
      return refuse(run, target, { code: "APPROVED_SCOPE_MISMATCH", detail: "the stored approved scope is not the one the CST pins" });
    }

    const request: PolicyRequest = { type: "egress", scheme: target.scheme, host: target.host, port: target.port, ...(target.method === undefined ? {} : { method: target.method }) };
    const decision = decide(run.policy, request, {
      phase: run.phase,
      now: deps.now().toISOString(),
      usage,
      agent_did: run.agentDid,
      ...(approvedScope === null ? {} : { approved_scope: approvedScope }),
    });
    if (decision.effect === "deny") {
      return refuse(run, target, {
        code: decision.reason_code,
        detail: decision.detail,
        ...(decision.intended_side_effect === undefined ? {} : { intendedSideEffect: decision.intended_side_effect }),
      });
    }

    const addresses = await resolve(target);
    if (!Array.isArray(addresses)) return refuse(run, target, addresses, "error");
    // DNS rebinding: the addresses checked here are the ones dialled; the host name is never resolved again.
    if (!run.policy.named_hosts.has(target.host)) {
      for (const address of addresses) {
        const kind = blockedAddressKind(address);
        if (kind !== null) {
          return refuse(run, target, {
            code: "EGRESS_PRIVATE_ADDRESS_DENIED",
            detail: `${target.host} resolves to a ${kind.replace("_", "-")} address; only a host the policy names exactly may reach one`,
          });
        }
      }
    }
    try {
      const recordId = await record(run, target, "allow", null, sideEffectOf(request));
      return { ok: true, run, recordId, addresses };
    } catch (error) {
      deps.logger?.error({ err: error, run_id: run.runId }, "egress record could not be written");
      return { ok: false, refusal: UNRECORDED, run, recorded: null };
    }
  }

  /** The destination failed after admission (connect, or a reset before any response). */
  async function failed(admission: Admitted, code: ReasonCode): Promise<void> {
    try {
      await markEgressFailed(deps.db, admission.recordId, code);
    } catch (error) {
      deps.logger?.error({ err: error, run_id: admission.run.runId }, "egress record could not be marked failed");
    }
  }

  /** Connects to an admitted destination; a failure is written to the attempt's record before it is returned. */
  async function dial(admission: Admitted, port: number): Promise<Dialled> {
    const dialled = await dialAny(admission.addresses, port, deps.connectTimeoutMs);
    if (!dialled.ok) await failed(admission, dialled.refusal.code);
    return dialled;
  }

  return { admit, dial, failed };
}

export type EgressGate = ReturnType<typeof createEgressGate>;
