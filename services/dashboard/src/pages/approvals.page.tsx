/**
 * The approvals inbox: each pending card with its intended actions, decided here with Approve once,
 * Approve for scope or Deny (recorded as decided via the dashboard). Refusals show their reason code,
 * e.g. APPROVER_NOT_PERMITTED for a key without an approver role or for the run's own requester.
 */
import { useCallback, useId, useState } from "react";
import { unwrap, type components } from "@clawea/sdk";
import { problemOf, type Problem } from "../api/problem.js";
import { Link } from "../app/navigation.js";
import { useSession } from "../app/session.js";
import { Hash, Loading, PageHeading, ProblemAlert, StateBadge } from "../components/ui.js";
import { formatTimestamp } from "../lib/format.js";
import { hrefOf } from "../lib/routes.js";
import { useAsync } from "../lib/use-async.js";

type Approval = components["schemas"]["Approval"];
type Decision = "approve_once" | "approve_scope" | "deny";
const STATUSES = ["pending", "approved", "denied", "expired", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

const DECISIONS: { decision: Decision; label: string; done: string; className: string }[] = [
  { decision: "approve_once", label: "Approve once", done: "Approved once", className: "primary" },
  { decision: "approve_scope", label: "Approve for scope", done: "Approved for scope", className: "" },
  { decision: "deny", label: "Deny", done: "Denied", className: "danger" },
];

function ApprovalCard({ approval, onDecided }: { approval: Approval; onDecided: (message: string) => void }) {
  const { api } = useSession();
  const headingId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const scope = approval.requested_scope as { scope_hash_b64u: string; side_effects: { kind: string; target: string }[] };
  const pending = approval.status === "pending";

  async function decide(decision: Decision, done: string) {
    setBusy(true);
    setProblem(null);
    try {
      const decided = unwrap(
        await api.client.POST("/v1/approvals/{approval_id}/decision", {
          params: { path: { approval_id: approval.id } },
          body: { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) },
          headers: { "X-Clawea-Client": "dashboard" },
        }),
      );
      onDecided(`${done}: run ${decided.run_id}`);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" aria-labelledby={headingId} data-approval-id={approval.id} data-run-id={approval.run_id}>
      <h2 id={headingId}>
        Run <code>{approval.run_id}</code> <StateBadge state={approval.status} />
      </h2>
      <dl className="facts">
        <dt>Agent</dt>
        <dd>
          <code>{approval.agent_id}</code>
        </dd>
        <dt>Requested</dt>
        <dd>{formatTimestamp(approval.created_at)}</dd>
        <dt>Expires</dt>
        <dd>{formatTimestamp(approval.expires_at)}</dd>
        <dt>Plan hash</dt>
        <dd>
          <Hash value={approval.plan_hash} full />
        </dd>
        <dt>WPC hash</dt>
        <dd>
          <Hash value={approval.policy_hash} full />
        </dd>
        <dt>Scope hash</dt>
        <dd>
          <Hash value={scope.scope_hash_b64u} full />
        </dd>
        {approval.decided_by ? (
          <>
            <dt>Decided by</dt>
            <dd>
              <code>{approval.decided_by}</code> via {approval.decided_via ?? "—"} at {formatTimestamp(approval.decided_at)}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="table-wrap">
        <table>
          <caption>Intended actions</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {scope.side_effects.map((effect) => (
              <tr key={`${effect.kind} ${effect.target}`}>
                <td>
                  <code>{effect.kind}</code>
                </td>
                <td className="break">{effect.target}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <Link href={hrefOf({ page: "run", runId: approval.run_id })}>Open the run</Link>
      </p>
      {pending ? (
        <div className="decision">
          <label htmlFor={reasonId}>Reason (optional, sent with the decision)</label>
          <textarea id={reasonId} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          <div className="actions" role="group" aria-label={`Decide on run ${approval.run_id}`}>
            {DECISIONS.map((d) => (
              <button key={d.decision} type="button" className={d.className} disabled={busy} onClick={() => void decide(d.decision, d.done)} aria-describedby={headingId}>
                {d.label}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      {problem ? <ProblemAlert problem={problem} what="The decision" /> : null}
    </article>
  );
}

export function Approvals() {
  const { api } = useSession();
  const [status, setStatus] = useState<Status>("pending");
  const [decided, setDecided] = useState<string | null>(null);
  const list = useAsync(async (signal) => unwrap(await api.client.GET("/v1/approvals", { params: { query: { status, limit: 50 } }, signal })), [status]);
  const { reload } = list;
  const onDecided = useCallback(
    (message: string) => {
      setDecided(message);
      reload();
    },
    [reload],
  );

  return (
    <>
      <PageHeading>Approvals</PageHeading>
      <div className="filters">
        <div className="field">
          <label htmlFor="approval-status">Show</label>
          <select id="approval-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="button" onClick={list.reload}>
            Refresh
          </button>
        </div>
      </div>
      <p className="notice" role="status" data-testid="decision-status">
        {decided}
      </p>
      {list.problem ? <ProblemAlert problem={list.problem} what="Loading approvals" /> : null}
      {list.loading && !list.data ? <Loading what="approvals" /> : null}
      {list.data ? (
        list.data.length === 0 ? (
          <p className="muted">No {status} approvals.</p>
        ) : (
          <div className="cards" aria-busy={list.loading}>
            {list.data.map((approval) => (
              <ApprovalCard key={approval.id} approval={approval} onDecided={onDecided} />
            ))}
          </div>
        )
      ) : null}
    </>
  );
}
