import { describe, expect, it } from "vitest";
import { AGENT_ACTIONS, AGENT_STATUSES, type AgentAction, type AgentStatus } from "@clawea/db";
import { REQUESTABLE, STATUS_EDGES, canTransition, decideAction, effectiveSettings, type RequestableAction } from "./agents.domain.js";

const requestable = Object.keys(REQUESTABLE) as RequestableAction[];

describe("the status graph", () => {
  it("is provisioning → running ⇄ sleeping → destroyed, any live status → failed, failed → destroyed", () => {
    expect(canTransition("provisioning", "running")).toBe(true);
    expect(canTransition("running", "sleeping")).toBe(true);
    expect(canTransition("sleeping", "running")).toBe(true);
    expect(canTransition("failed", "destroyed")).toBe(true);
    for (const from of ["provisioning", "running", "sleeping"] as const) {
      expect(canTransition(from, "failed")).toBe(true);
      expect(canTransition(from, "destroyed")).toBe(true);
    }
    expect(canTransition("provisioning", "sleeping")).toBe(false);
    expect(canTransition("failed", "running")).toBe(false);
    expect(STATUS_EDGES.destroyed).toEqual([]);
  });

  it("holds every requestable action's move", () => {
    for (const action of requestable) {
      for (const from of REQUESTABLE[action].from) expect(canTransition(from, REQUESTABLE[action].to), `${action} from ${from}`).toBe(true);
    }
  });
});

describe("decideAction", () => {
  const allowed = (status: AgentStatus, pendingAction: AgentAction | null, action: RequestableAction) => decideAction({ status, pendingAction }, action).allowed;

  it("with nothing pending: sleep only from running, wake only from sleeping, destroy from all but destroyed", () => {
    for (const status of AGENT_STATUSES) {
      expect(allowed(status, null, "sleep"), status).toBe(status === "running");
      expect(allowed(status, null, "wake"), status).toBe(status === "sleeping");
      expect(allowed(status, null, "destroy"), status).toBe(status !== "destroyed");
    }
  });

  it("while an action is pending refuses all but a destroy superseding a deploy, sleep or wake", () => {
    for (const status of AGENT_STATUSES) {
      for (const pending of AGENT_ACTIONS) {
        expect(allowed(status, pending, "sleep")).toBe(false);
        expect(allowed(status, pending, "wake")).toBe(false);
        expect(allowed(status, pending, "destroy"), `${status}/${pending}`).toBe(status !== "destroyed" && pending !== "destroy");
      }
    }
  });

  it("says why it refuses", () => {
    expect(decideAction({ status: "provisioning", pendingAction: "deploy" }, "sleep")).toEqual({ allowed: false, detail: "cannot sleep an agent that is provisioning" });
    expect(decideAction({ status: "running", pendingAction: "sleep" }, "sleep")).toEqual({ allowed: false, detail: "cannot sleep while a sleep is pending" });
  });
});

describe("effectiveSettings", () => {
  const template = {
    model: "openai/gpt-4.1",
    resources: { cpu_millis: 1000, memory_mb: 1024, disk_mb: 2048 },
    sleep_after_seconds: 600,
    stateless: true,
    secret_refs: ["openai"],
    config: { tools_profile: "coding", depth: 2 },
  };

  it("is the template's without overrides", () => {
    expect(effectiveSettings(template)).toEqual(template);
  });

  it("replaces fields, merges resources per resource and config per key", () => {
    expect(
      effectiveSettings(template, {
        model: "anthropic/claude-sonnet-4.5",
        resources: { memory_mb: 4096 },
        stateless: false,
        secret_refs: [],
        config: { depth: 3, extra: true },
      }),
    ).toEqual({
      model: "anthropic/claude-sonnet-4.5",
      resources: { cpu_millis: 1000, memory_mb: 4096, disk_mb: 2048 },
      sleep_after_seconds: 600,
      stateless: false,
      secret_refs: [],
      config: { tools_profile: "coding", depth: 3, extra: true },
    });
  });
});
