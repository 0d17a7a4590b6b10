import { describe, expect, it } from "vitest";
import { NO_FILTERS, filtersToQuery, hrefOf, parseRoute, type Route } from "./routes.js";

describe("client routes", () => {
  it("parses every page, with and without a trailing slash", () => {
    expect(parseRoute("/dashboard", "")).toEqual({ page: "runs", filters: NO_FILTERS });
    expect(parseRoute("/dashboard/", "")).toEqual({ page: "runs", filters: NO_FILTERS });
    expect(parseRoute("/dashboard/runs/run_abc", "")).toEqual({ page: "run", runId: "run_abc" });
    expect(parseRoute("/dashboard/approvals/", "")).toEqual({ page: "approvals" });
    expect(parseRoute("/dashboard/fleet", "")).toEqual({ page: "fleet" });
    expect(parseRoute("/dashboard/verify", "")).toEqual({ page: "verify" });
    expect(parseRoute("/dashboard/runs/run_abc/extra", "").page).toBe("not-found");
    expect(parseRoute("/elsewhere", "").page).toBe("not-found");
    expect(parseRoute("/dashboardx", "").page).toBe("not-found");
  });

  it("reads the runs filters from the query and ignores an unknown state", () => {
    const route = parseRoute("/dashboard/runs", "?state=completed&agent_id=agt_1&from=2026-01-01T00:00:00.000Z&unknown=1");
    expect(route).toEqual({ page: "runs", filters: { ...NO_FILTERS, state: "completed", agent_id: "agt_1", from: "2026-01-01T00:00:00.000Z" } });
    expect(parseRoute("/dashboard/runs", "?state=exploded")).toEqual({ page: "runs", filters: NO_FILTERS });
  });

  it("writes only the filters that are set, and round-trips every route", () => {
    expect(filtersToQuery({ ...NO_FILTERS, mission_id: "  release-1.0 ", state: "failed" }).toString()).toBe("state=failed&mission_id=release-1.0");
    const routes: Route[] = [
      { page: "runs", filters: NO_FILTERS },
      { page: "runs", filters: { ...NO_FILTERS, policy_hash: "abc", to: "2026-02-01T00:00:00.000Z" } },
      { page: "run", runId: "run_0123" },
      { page: "approvals" },
      { page: "fleet" },
      { page: "verify" },
    ];
    for (const route of routes) {
      const url = new URL(hrefOf(route), "http://localhost");
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });
});
