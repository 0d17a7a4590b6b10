/**
 * Runs for audit, newest first: filters live in the URL (shareable), the server pages with
 * `next_cursor`, and only the current page is rendered, so a tenant with 100k runs costs one page.
 */
import { useEffect, useState, type FormEvent } from "react";
import { unwrap } from "@clawea/sdk";
import { Link, useNavigation } from "../app/navigation.js";
import { useSession } from "../app/session.js";
import { CursorPager, Hash, Loading, PageHeading, ProblemAlert, StateBadge, useAnnounce } from "../components/ui.js";
import { currentCursor, firstPage, pageNumber, type CursorStack } from "../lib/cursor-stack.js";
import { formatTimestamp, humanize, isoToLocalInput, localInputToIso } from "../lib/format.js";
import { hrefOf, NO_FILTERS, RUN_STATES, type RunFilters } from "../lib/routes.js";
import { useAsync } from "../lib/use-async.js";

const PAGE_SIZES = [25, 50, 100] as const;

export function RunsList({ filters }: { filters: RunFilters }) {
  const { api } = useSession();
  const { navigate } = useNavigation();
  const announce = useAnnounce();
  const [stack, setStack] = useState<CursorStack>(firstPage);
  const [limit, setLimit] = useState<number>(PAGE_SIZES[0]);
  const [form, setForm] = useState<RunFilters>({ ...filters, from: isoToLocalInput(filters.from), to: isoToLocalInput(filters.to) });

  const cursor = currentCursor(stack);
  const page = useAsync(
    async (signal) =>
      unwrap(
        await api.client.GET("/v1/audit/runs", {
          params: {
            query: {
              limit,
              ...(cursor ? { cursor } : {}),
              ...(filters.agent_id ? { agent_id: filters.agent_id } : {}),
              ...(filters.state ? { state: filters.state } : {}),
              ...(filters.policy_hash ? { policy_hash: filters.policy_hash } : {}),
              ...(filters.mission_id ? { mission_id: filters.mission_id } : {}),
              ...(filters.from ? { from: filters.from } : {}),
              ...(filters.to ? { to: filters.to } : {}),
            },
          },
          signal,
        }),
      ),
    [cursor, limit],
  );
  const agents = useAsync(async (signal) => unwrap(await api.client.GET("/v1/agents", { params: { query: { limit: 200 } }, signal })).items, []);

  useEffect(() => {
    if (page.data) announce(`${page.data.items.length} run${page.data.items.length === 1 ? "" : "s"} shown, page ${pageNumber(stack)}`);
    // Announce each page once it has loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page.data]);

  function apply(event: FormEvent) {
    event.preventDefault();
    navigate(hrefOf({ page: "runs", filters: { ...form, from: localInputToIso(form.from), to: localInputToIso(form.to) } }));
  }

  const set = (key: keyof RunFilters) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeading>Runs</PageHeading>
      <form className="filters" onSubmit={apply} aria-label="Filter runs">
        <div className="field">
          <label htmlFor="f-agent">Agent</label>
          <input id="f-agent" list="agent-options" value={form.agent_id} onChange={set("agent_id")} placeholder="agt_…" spellCheck={false} />
          <datalist id="agent-options">
            {(agents.data ?? []).map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="f-state">State</label>
          <select id="f-state" value={form.state} onChange={set("state")}>
            <option value="">any</option>
            {RUN_STATES.map((state) => (
              <option key={state} value={state}>
                {humanize(state)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">Created from</label>
          <input id="f-from" type="datetime-local" value={form.from} onChange={set("from")} />
        </div>
        <div className="field">
          <label htmlFor="f-to">Created to</label>
          <input id="f-to" type="datetime-local" value={form.to} onChange={set("to")} />
        </div>
        <div className="field">
          <label htmlFor="f-policy">Policy (WPC) hash</label>
          <input id="f-policy" value={form.policy_hash} onChange={set("policy_hash")} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="f-mission">Mission</label>
          <input id="f-mission" value={form.mission_id} onChange={set("mission_id")} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="f-limit">Per page</label>
          <select
            id="f-limit"
            value={limit}
            onChange={(e) => {
              setLimit(Number(e.target.value));
              setStack(firstPage);
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          {filtered ? (
            <button type="button" onClick={() => navigate(hrefOf({ page: "runs", filters: NO_FILTERS }))}>
              Clear
            </button>
          ) : null}
        </div>
      </form>

      {page.problem ? <ProblemAlert problem={page.problem} what="Loading runs" /> : null}
      {page.loading && !page.data ? <Loading what="runs" /> : null}
      {page.data ? (
        <>
          <div className="table-wrap">
            <table aria-busy={page.loading}>
              <caption>
                Runs, newest first{filtered ? " (filtered)" : ""} — page {pageNumber(stack)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">State</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Mission</th>
                  <th scope="col">Policy hash</th>
                  <th scope="col">Reason code</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Created (UTC)</th>
                  <th scope="col">Completed (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.length === 0 ? (
                  <tr>
                    <td colSpan={9} className="muted">
                      No runs match.
                    </td>
                  </tr>
                ) : (
                  page.data.items.map((run) => (
                    <tr key={run.id} data-run-id={run.id}>
                      <th scope="row">
                        <Link href={hrefOf({ page: "run", runId: run.id })}>
                          <code>{run.id}</code>
                        </Link>
                      </th>
                      <td>
                        <StateBadge state={run.state} />
                      </td>
                      <td>
                        <Hash value={run.agent_id} />
                      </td>
                      <td className="nowrap">{run.mission_id ?? <span className="muted">—</span>}</td>
                      <td>
                        <Hash value={run.policy_hash} />
                      </td>
                      <td>{run.reason_code ? <code className="reason-code">{run.reason_code}</code> : <span className="muted">—</span>}</td>
                      <td>{run.has_evidence ? "yes" : <span className="muted">not yet</span>}</td>
                      <td className="nowrap">{formatTimestamp(run.created_at, false)}</td>
                      <td className="nowrap">{formatTimestamp(run.completed_at, false)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <CursorPager label="Runs pages" stack={stack} nextCursor={page.data.next_cursor} onChange={setStack} />
        </>
      ) : null}
    </>
  );
}
