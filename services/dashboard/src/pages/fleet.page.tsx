/** The fleet: agent counts and resources, every agent with its last reported health, and usage. */
import { useState, type FormEvent } from "react";
import { unwrap } from "@clawea/sdk";
import { useSession } from "../app/session.js";
import { CursorPager, Loading, PageHeading, ProblemAlert, StateBadge } from "../components/ui.js";
import { currentCursor, firstPage, pageNumber, type CursorStack } from "../lib/cursor-stack.js";
import { formatNumber, formatTimestamp, humanize, isoToLocalInput, localInputToIso } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

const AGENTS_PER_PAGE = 25;
const DAY_MS = 86_400_000;
type GroupBy = "day" | "agent" | "template";

function Summary() {
  const { api } = useSession();
  const summary = useAsync(async (signal) => unwrap(await api.client.GET("/v1/fleet/summary", { signal })), []);
  if (summary.problem) return <ProblemAlert problem={summary.problem} what="Loading the fleet summary" />;
  if (!summary.data) return <Loading what="the fleet summary" />;
  const { total, by_status, by_template, resources } = summary.data;
  return (
    <section aria-labelledby="fleet-summary">
      <h2 id="fleet-summary">Summary</h2>
      <ul className="stats">
        <li>
          <span className="stat">{total}</span> agents (not destroyed)
        </li>
        {Object.entries(by_status).map(([status, count]) => (
          <li key={status}>
            <span className="stat">{count}</span> {humanize(status)}
          </li>
        ))}
        <li>
          <span className="stat">{(resources.cpu_millis / 1000).toFixed(1)}</span> vCPU
        </li>
        <li>
          <span className="stat">{resources.memory_mb}</span> MB memory
        </li>
        <li>
          <span className="stat">{resources.disk_mb}</span> MB disk
        </li>
      </ul>
      <div className="table-wrap">
        <table>
          <caption>Agents by template</caption>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Id</th>
              <th scope="col">Agents</th>
            </tr>
          </thead>
          <tbody>
            {by_template.map((row) => (
              <tr key={row.template_id}>
                <td>{row.template_name}</td>
                <td>
                  <code>{row.template_id}</code>
                </td>
                <td className="num">{row.agents}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Agents() {
  const { api } = useSession();
  const [stack, setStack] = useState<CursorStack>(firstPage);
  const cursor = currentCursor(stack);
  const page = useAsync(
    async (signal) => {
      const agents = unwrap(await api.client.GET("/v1/agents", { params: { query: { limit: AGENTS_PER_PAGE, ...(cursor ? { cursor } : {}) } }, signal }));
      // Health of the agents on this page only: one small read each, in parallel.
      const health = await Promise.all(
        agents.items.map(async (agent) => {
          const result = await api.client.GET("/v1/agents/{agent_id}/health", { params: { path: { agent_id: agent.id } }, signal });
          return result.data ?? null;
        }),
      );
      return { ...agents, health };
    },
    [cursor],
  );
  return (
    <section aria-labelledby="fleet-agents">
      <h2 id="fleet-agents">Agents</h2>
      {page.problem ? <ProblemAlert problem={page.problem} what="Loading agents" /> : null}
      {!page.data ? (
        page.problem ? null : <Loading what="agents" />
      ) : (
        <>
          <div className="table-wrap">
            <table aria-busy={page.loading}>
              <caption>Agents, newest first, with their last reported health — page {pageNumber(stack)}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Id</th>
                  <th scope="col">Status</th>
                  <th scope="col">Template</th>
                  <th scope="col">Model</th>
                  <th scope="col">Last active (UTC)</th>
                  <th scope="col">CPU (millicores)</th>
                  <th scope="col">Memory (MB)</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.length === 0 ? (
                  <tr>
                    <td colSpan={9} className="muted">
                      No agents.
                    </td>
                  </tr>
                ) : (
                  page.data.items.map((agent, i) => {
                    const health = page.data?.health[i] ?? null;
                    return (
                      <tr key={agent.id}>
                        <th scope="row" className="nowrap">
                          {agent.name}
                        </th>
                        <td>
                          <code>{agent.id}</code>
                        </td>
                        <td>
                          <StateBadge state={health?.status ?? agent.status} />
                        </td>
                        <td>
                          <code>{agent.template_id}</code>
                        </td>
                        <td>{agent.model}</td>
                        <td className="nowrap">{formatTimestamp(health?.last_active_at, false)}</td>
                        <td className="num">{formatNumber(health?.cpu_usage_millis)}</td>
                        <td className="num">{formatNumber(health?.memory_usage_mb, 1)}</td>
                        <td>{health?.last_error_code ? <code className="reason-code">{health.last_error_code}</code> : <span className="muted">—</span>}</td>
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
          <CursorPager label="Agents pages" stack={stack} nextCursor={page.data.next_cursor} onChange={setStack} />
        </>
      )}
    </section>
  );
}

function Usage() {
  const { api } = useSession();
  const [range, setRange] = useState(() => {
    const now = new Date();
    return { from: new Date(now.getTime() - 7 * DAY_MS).toISOString(), to: now.toISOString(), groupBy: "day" as GroupBy };
  });
  const [form, setForm] = useState({ from: isoToLocalInput(range.from), to: isoToLocalInput(range.to), groupBy: range.groupBy });
  const usage = useAsync(async (signal) => {
    const body = unwrap(await api.client.GET("/v1/usage", { params: { query: { from: range.from, to: range.to, group_by: range.groupBy, limit: 1000, format: "json" } }, signal }));
    // The route also speaks CSV; asked for JSON, a string answer is a contract break.
    if (typeof body === "string") throw new Error("GET /v1/usage answered CSV to a JSON request");
    return body;
  }, [range]);
  function apply(event: FormEvent) {
    event.preventDefault();
    const from = localInputToIso(form.from);
    const to = localInputToIso(form.to);
    if (from && to) setRange({ from, to, groupBy: form.groupBy });
  }
  return (
    <section aria-labelledby="fleet-usage">
      <h2 id="fleet-usage">Usage</h2>
      <form className="filters" onSubmit={apply} aria-label="Usage range">
        <div className="field">
          <label htmlFor="u-from">From</label>
          <input id="u-from" type="datetime-local" required value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="u-to">Before</label>
          <input id="u-to" type="datetime-local" required value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="u-group">Group by</label>
          <select id="u-group" value={form.groupBy} onChange={(e) => setForm({ ...form, groupBy: e.target.value as GroupBy })}>
            <option value="day">UTC day</option>
            <option value="agent">agent</option>
            <option value="template">template</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit">Show usage</button>
        </div>
      </form>
      {usage.problem ? <ProblemAlert problem={usage.problem} what="Loading usage" /> : null}
      {usage.data ? (
        <div className="table-wrap">
          <table aria-busy={usage.loading}>
            <caption>
              Usage from {formatTimestamp(usage.data.from)} to {formatTimestamp(usage.data.to)}
              {usage.data.next_cursor ? " (first 1000 rows)" : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">{usage.data.group_by === "day" ? "Day" : humanize(usage.data.group_by)}</th>
                <th scope="col">Kind</th>
                <th scope="col">Model</th>
                <th scope="col">Quantity</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.rows.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    No usage in this range.
                  </td>
                </tr>
              ) : (
                usage.data.rows.map((row, i) => (
                  <tr key={i}>
                    <td>{row.group ? <code>{row.group}</code> : <span className="muted">—</span>}</td>
                    <td>{humanize(row.kind)}</td>
                    <td>{row.model ?? <span className="muted">—</span>}</td>
                    <td className="num">{formatNumber(row.quantity, 3)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      ) : usage.problem ? null : (
        <Loading what="usage" />
      )}
    </section>
  );
}

export function Fleet() {
  return (
    <>
      <PageHeading>Fleet</PageHeading>
      <Summary />
      <Agents />
      <Usage />
    </>
  );
}
