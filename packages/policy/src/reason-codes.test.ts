// Every code this package answers with is in the one registry, with a status an agent runtime can adapt to.
import { REASON_CODES } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import { CST_REASON_CODES } from "./cst.token.js";
import { DENY_REASON_CODES } from "./decision.decide.js";

const POLICY_CODES = [...DENY_REASON_CODES, ...CST_REASON_CODES.filter((c) => !c.startsWith("DEPENDENCY_")), "POLICY_PARENT_UNRESOLVED", "PLAN_INVALID"] as const;

describe("policy reason codes", () => {
  it.each(POLICY_CODES)("%s is registered with a 4xx that is not 401, 403 or 409", (code) => {
    const spec = REASON_CODES[code];
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(500);
    expect([401, 403, 409]).not.toContain(spec.status);
  });

  it("only the per-run budget answers 429", () => {
    expect(POLICY_CODES.filter((c) => REASON_CODES[c].status === 429)).toEqual(["POLICY_BUDGET_EXCEEDED"]);
  });
});
