/** The dashboard's client routes under /dashboard/, and the runs list's filters as URL query parameters. */

export const BASE = "/dashboard";

export const RUN_STATES = ["planning", "awaiting_approval", "applying", "completed", "denied", "failed", "cancelled"] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunFilters {
  agent_id: string;
  state: RunState | "";
  policy_hash: string;
  mission_id: string;
  /** RFC 3339 instants, or "". */
  from: string;
  to: string;
}

export const NO_FILTERS: RunFilters = { agent_id: "", state: "", policy_hash: "", mission_id: "", from: "", to: "" };

export type Route =
  | { page: "runs"; filters: RunFilters }
  | { page: "run"; runId: string }
  | { page: "approvals" }
  | { page: "fleet" }
  | { page: "verify" }
  | { page: "not-found"; path: string };

function isRunState(value: string): value is RunState {
  return (RUN_STATES as readonly string[]).includes(value);
}

export function filtersFromQuery(query: URLSearchParams): RunFilters {
  const state = query.get("state") ?? "";
  return {
    agent_id: query.get("agent_id") ?? "",
    state: isRunState(state) ? state : "",
    policy_hash: query.get("policy_hash") ?? "",
    mission_id: query.get("mission_id") ?? "",
    from: query.get("from") ?? "",
    to: query.get("to") ?? "",
  };
}

/** Only the filters that are set, trimmed, in a stable order. */
export function filtersToQuery(filters: RunFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of Object.keys(NO_FILTERS) as (keyof RunFilters)[]) {
    const value = filters[key].trim();
    if (value) query.set(key, value);
  }
  return query;
}

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, "");
  if (path !== BASE && !path.startsWith(`${BASE}/`)) return { page: "not-found", path: pathname };
  const rest = path.slice(BASE.length).split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, ...more] = rest;
  if (first === undefined || (first === "runs" && second === undefined)) return { page: "runs", filters: filtersFromQuery(new URLSearchParams(search)) };
  if (first === "runs" && second !== undefined && more.length === 0) return { page: "run", runId: second };
  if (second === undefined && (first === "approvals" || first === "fleet" || first === "verify")) return { page: first };
  return { page: "not-found", path: pathname };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case "runs": {
      const query = filtersToQuery(route.filters).toString();
      return `${BASE}/runs${query ? `?${query}` : ""}`;
    }
    case "run":
      return `${BASE}/runs/${encodeURIComponent(route.runId)}`;
    case "approvals":
    case "fleet":
    case "verify":
      return `${BASE}/${route.page}`;
    case "not-found":
      return route.path;
  }
}
