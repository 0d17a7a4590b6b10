/**
 * One run for audit: verdict under the WPC and scope hashes, evidence downloads and in-browser
 * verification, approval, side effects, what changed, receipts, the event timeline and the WPC in
 * force. While the run is still active the page refreshes itself.
 */
import { useEffect, useState } from "react";
import { unwrap } from "@clawea/sdk";
import { ACTIVE_STATES, type ApprovalView, type AuditRunView, type PerformedSideEffect, type WorkspaceFile } from "../api/audit.types.js";
import { problemOf, type Problem } from "../api/problem.js";
import { Link } from "../app/navigation.js";
import { useSession } from "../app/session.js";
import { VerificationReport } from "../components/verification.js";
import { Hash, JsonView, Loading, PageHeading, ProblemAlert, ReasonCodes, StateBadge, useAnnounce } from "../components/ui.js";
import { saveBlob } from "../lib/download.js";
import { formatBytes, formatNumber, formatTimestamp, humanize } from "../lib/format.js";
import { hrefOf, NO_FILTERS } from "../lib/routes.js";
import { useAsync } from "../lib/use-async.js";
import type { BundleVerdict } from "../verify/verify-bundle.js";

const POLL_MS = 2_000;

interface Receipt {
  receipt_id: string;
  status: string;
  provider: string;
  model: string;
  tokens_input: number;
  tokens_output: number;
  timestamp: string;
}

export function RunDetail({ runId }: { runId: string }) {
  const { api } = useSession();
  const announce = useAnnounce();
  const detail = useAsync(
    async (signal) => {
      const path = { params: { path: { run_id: runId } }, signal };
      const [audit, summary] = await Promise.all([api.client.GET("/v1/audit/runs/{run_id}", path), api.client.GET("/v1/audit/runs/{run_id}/summary", path)]);
      return { audit: unwrap(audit), summary: unwrap(summary) };
    },
    [runId],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<{ what: string; problem: Problem } | null>(null);
  const [verdict, setVerdict] = useState<BundleVerdict | null>(null);

  const state = detail.data?.summary.state;
  const active = state !== undefined && ACTIVE_STATES.includes(state);
  // Evidence is assembled just after a run ends: keep refreshing until it is there.
  const settling = detail.data !== undefined && (active || detail.data.audit.evidence === null);
  const { reload } = detail;
  useEffect(() => {
    if (!settling) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [settling, reload]);
  useEffect(() => {
    if (state) announce(`Run ${humanize(state)}`);
  }, [state, announce]);

  async function download(format: "json" | "tar.gz") {
    setBusy(`download-${format}`);
    setActionProblem(null);
    try {
      const suffix = format === "json" ? "" : "?format=tar.gz";
      const { blob, filename } = await api.download(`/v1/audit/runs/${encodeURIComponent(runId)}/export${suffix}`, `${runId}.export.${format}`);
      saveBlob(blob, filename);
      announce(`Downloaded ${filename}`);
    } catch (error) {
      setActionProblem({ what: "The download", problem: problemOf(error) });
    } finally {
      setBusy(null);
    }
  }

  async function verifyHere() {
    setBusy("verify");
    setActionProblem(null);
    setVerdict(null);
    try {
      // The verifier (schemas, crypto) is its own chunk, loaded on first use.
      const [{ blob }, trust, { verifyBundleBytes }] = await Promise.all([
        api.download(`/v1/audit/runs/${encodeURIComponent(runId)}/export`, "export.json"),
        api.client.GET("/v1/trust"),
        import("../verify/verify-bundle.js"),
      ]);
      const result = await verifyBundleBytes(new Uint8Array(await blob.arrayBuffer()), unwrap(trust), new Date());
      setVerdict(result);
      announce(result.valid ? "Bundle valid" : `Bundle invalid: ${result.reason_codes.join(", ")}`);
    } catch (error) {
      setActionProblem({ what: "Verification", problem: problemOf(error) });
    } finally {
      setBusy(null);
    }
  }

  if (!detail.data) {
    return (
      <>
        <PageHeading>Run {runId}</PageHeading>
        {detail.problem ? <ProblemAlert problem={detail.problem} what="Loading the run" /> : <Loading what="the run" />}
      </>
    );
  }

  const { audit, summary } = detail.data;
  const run = audit.run as unknown as AuditRunView;
  const approval = audit.approval as unknown as ApprovalView | null;
  const receipts = audit.receipts as unknown as Receipt[];
  const sideEffects = summary.side_effects as unknown as PerformedSideEffect[];
  const intended = run.plan?.intended_side_effects ?? [];
  const diff = summary.workspace_diff as WorkspaceFile[];
  const refused = (summary.refused as { kind: string; target: string; reason_code: string }[]) ?? [];
  const hasEvidence = audit.evidence !== null;

  return (
    <>
      <p className="breadcrumb">
        <Link href={hrefOf({ page: "runs", filters: NO_FILTERS })}>Runs</Link> / <code>{run.id}</code>
      </p>
      <PageHeading>
        Run <code>{run.id}</code> <StateBadge state={summary.state} />
      </PageHeading>
      {detail.problem ? <ProblemAlert problem={detail.problem} what="Refreshing the run" /> : null}
      {settling ? (
        <p className="muted" role="status">
          {active ? `This run is still ${humanize(summary.state)}` : "The run has ended; its evidence is being written"}; the page refreshes every {POLL_MS / 1000} s.
        </p>
      ) : null}

      <dl className="facts">
        <dt>Agent</dt>
        <dd>
          <code>{run.agent_id}</code>
        </dd>
        <dt>Mission</dt>
        <dd>{run.mission_id ?? <span className="muted">—</span>}</dd>
        <dt>Phase</dt>
        <dd>{run.phase ?? "—"}</dd>
        <dt>Reason code</dt>
        <dd>{summary.reason_code ? <code className="reason-code">{summary.reason_code}</code> : <span className="muted">—</span>}</dd>
        <dt>Created</dt>
        <dd>{formatTimestamp(summary.created_at)}</dd>
        <dt>Completed</dt>
        <dd>{formatTimestamp(summary.completed_at)}</dd>
      </dl>
      {run.task ? (
        <details>
          <summary>Task</summary>
          <pre className="task">{run.task}</pre>
        </details>
      ) : null}

      <section aria-labelledby="verification">
        <h2 id="verification">Verification</h2>
        <div className={`verdict verdict-${summary.verdict.toLowerCase()}`} data-testid="verdict">
          <p className="verdict-line">
            {summary.verdict === "PENDING" ? "PENDING — evidence is written when the run ends" : `VERIFIED ${summary.verdict}`}
          </p>
          <dl className="facts">
            <dt>WPC hash</dt>
            <dd>
              <Hash value={summary.policy_hash} full />
            </dd>
            <dt>Scope hash</dt>
            <dd>
              <Hash value={summary.scope_hash} full />
            </dd>
            <dt>Plan hash</dt>
            <dd>
              <Hash value={summary.plan_hash} full />
            </dd>
            <dt>Verifier reason codes</dt>
            <dd>
              <ReasonCodes codes={summary.verification_reason_codes} />
            </dd>
          </dl>
        </div>
        <div className="actions" role="group" aria-label="Evidence">
          <button type="button" onClick={() => void download("json")} disabled={!hasEvidence || busy !== null}>
            Download export bundle (JSON)
          </button>
          <button type="button" onClick={() => void download("tar.gz")} disabled={!hasEvidence || busy !== null}>
            Download export bundle (.tar.gz)
          </button>
          <button type="button" onClick={() => void verifyHere()} disabled={!hasEvidence || busy !== null}>
            {busy === "verify" ? "Verifying…" : "Verify in this browser"}
          </button>
          <Link href={hrefOf({ page: "verify" })}>Verify a file you have…</Link>
        </div>
        {!hasEvidence ? <p className="muted small">Evidence is written when the run ends; until then there is nothing to export.</p> : null}
        {actionProblem ? <ProblemAlert problem={actionProblem.problem} what={actionProblem.what} /> : null}
        {verdict ? <VerificationReport verdict={verdict} where="verified in this browser against GET /v1/trust" /> : null}
      </section>

      <section aria-labelledby="approval">
        <h2 id="approval">Approval</h2>
        {approval ? (
          <>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <StateBadge state={approval.status} />
              </dd>
              <dt>Mode</dt>
              <dd>{approval.mode ?? "—"}</dd>
              <dt>Decided by</dt>
              <dd>{approval.decided_by ? <code>{approval.decided_by}</code> : "—"}</dd>
              <dt>Via</dt>
              <dd>{approval.decided_via ?? "—"}</dd>
              <dt>When</dt>
              <dd>{formatTimestamp(approval.decided_at)}</dd>
              {approval.reason ? (
                <>
                  <dt>Reason</dt>
                  <dd>{approval.reason}</dd>
                </>
              ) : null}
              <dt>Granted scope</dt>
              <dd>
                <Hash value={approval.granted_scope?.scope_hash_b64u} full />
              </dd>
              <dt>Requested scope</dt>
              <dd>
                <Hash value={approval.requested_scope?.scope_hash_b64u} full />
              </dd>
            </dl>
            {approval.granted_scope && approval.granted_scope.side_effects.length > 0 ? (
              <ul className="scope">
                {approval.granted_scope.side_effects.map((effect) => (
                  <li key={`${effect.kind} ${effect.target}`}>
                    <code>{effect.kind}</code> {effect.target}
                  </li>
                ))}
              </ul>
            ) : null}
            {approval.receipt ? (
              <details>
                <summary>Signed human approval receipt</summary>
                <JsonView value={approval.receipt} label="Human approval receipt" />
              </details>
            ) : null}
          </>
        ) : (
          <p className="muted">No approval was requested for this run (yet).</p>
        )}
      </section>

      <section aria-labelledby="side-effects">
        <h2 id="side-effects">Side effects</h2>
        <div className="table-wrap">
          <table>
            <caption>Intended in the plan, and what happened to each</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Target</th>
                <th scope="col">Plan summary</th>
                <th scope="col">Risk flags</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {intended.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    The plan intends no side effects.
                  </td>
                </tr>
              ) : (
                intended.map((effect) => {
                  const done = sideEffects.find((e) => e.kind === effect.kind && e.target === effect.target);
                  const refusal = refused.find((e) => e.kind === effect.kind && e.target === effect.target);
                  return (
                    <tr key={`${effect.kind} ${effect.target}`}>
                      <td>
                        <code>{effect.kind}</code>
                      </td>
                      <td className="break">{effect.target}</td>
                      <td>{effect.summary ?? "—"}</td>
                      <td>{effect.risk_flags && effect.risk_flags.length > 0 ? <ReasonCodes codes={effect.risk_flags} /> : <span className="muted">none</span>}</td>
                      <td>
                        {done ? (
                          done.performed ? (
                            "performed"
                          ) : (
                            <>
                              not performed {done.reason_code ? <code className="reason-code">{done.reason_code}</code> : null}
                            </>
                          )
                        ) : refusal ? (
                          <>
                            refused <code className="reason-code">{refusal.reason_code}</code>
                          </>
                        ) : (
                          <span className="muted">not yet</span>
                        )}
                      </td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="what-changed">
        <h2 id="what-changed">What changed</h2>
        <div className="table-wrap">
          <table>
            <caption>Workspace diff of the plan</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Change</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {diff.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    No files change.
                  </td>
                </tr>
              ) : (
                diff.map((file) => (
                  <tr key={file.path}>
                    <td className="break">
                      <code>{file.path}</code>
                    </td>
                    <td>{file.change}</td>
                    <td>{formatBytes(file.size_bytes)}</td>
                    <td>
                      <Hash value={file.sha256_b64u} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="receipts">
        <h2 id="receipts">Gateway receipts</h2>
        <div className="table-wrap">
          <table>
            <caption>Model calls, each with a receipt signed by the gateway</caption>
            <thead>
              <tr>
                <th scope="col">Receipt</th>
                <th scope="col">Status</th>
                <th scope="col">Provider / model</th>
                <th scope="col">Tokens in</th>
                <th scope="col">Tokens out</th>
                <th scope="col">When (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {receipts.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    No receipts.
                  </td>
                </tr>
              ) : (
                receipts.map((receipt) => (
                  <tr key={receipt.receipt_id}>
                    <td>
                      <Hash value={receipt.receipt_id} />
                    </td>
                    <td>{receipt.status}</td>
                    <td>
                      {receipt.provider} / {receipt.model}
                    </td>
                    <td className="num">{formatNumber(receipt.tokens_input)}</td>
                    <td className="num">{formatNumber(receipt.tokens_output)}</td>
                    <td className="nowrap">{formatTimestamp(receipt.timestamp, false)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <p className="muted small">The run's hash-linked event chain, in order.</p>
        <ol className="timeline">
          {run.events.map((event) => (
            <li key={event.seq}>
              <div className="timeline-head">
                <span className="seq">#{event.seq}</span> <strong>{humanize(event.event_type)}</strong> <span className="muted">by {event.actor}</span>{" "}
                <time dateTime={event.timestamp}>{formatTimestamp(event.timestamp)}</time>
              </div>
              <details>
                <summary>
                  Payload and hashes <span className="visually-hidden">of event {event.seq}</span>
                </summary>
                <dl className="facts">
                  <dt>Event hash</dt>
                  <dd>
                    <Hash value={event.event_hash_b64u} full />
                  </dd>
                  <dt>Previous hash</dt>
                  <dd>
                    <Hash value={event.prev_hash_b64u} full />
                  </dd>
                </dl>
                <JsonView value={event.payload} label={`Payload of event ${event.seq}`} />
              </details>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="wpc">
        <h2 id="wpc">Work Policy Contract at the time of the run</h2>
        <p>
          WPC hash <Hash value={audit.wpc.policy_hash} full />
        </p>
        {audit.wpc.document ? <JsonView value={audit.wpc.document} label="Work Policy Contract" /> : <p className="muted">The document is not stored.</p>}
      </section>

      {audit.evidence ? (
        <section aria-labelledby="evidence">
          <h2 id="evidence">Evidence</h2>
          <JsonView value={audit.evidence} label="Evidence record" />
        </section>
      ) : null}
    </>
  );
}
