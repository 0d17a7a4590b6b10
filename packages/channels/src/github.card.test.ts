import { describe, expect, it } from "vitest";
import { approvalCard, hugeCard } from "./fixtures.test-support.js";
import { GITHUB_LIMITS, githubCheckRun, githubPrComment } from "./github.card.js";

describe("githubCheckRun", () => {
  it("is a completed, action_required check run named for clawea and keyed by the approval id", () => {
    const params = githubCheckRun(approvalCard());
    expect(params).toMatchObject({
      name: "clawea approval",
      external_id: "apr_01J9Z3",
      status: "completed",
      conclusion: "action_required",
      details_url: "https://clawea.example/runs/run_01J9Z2",
    });
    expect(params.output?.title).toBe("Approval needed: release-bot");
  });

  it("offers exactly the three decisions within GitHub's action limits", () => {
    for (const ttl of [60, 3600, 5400, 12 * 3600 + 59 * 60, 59 * 60 + 59, 30 * 86_400]) {
      const actions = githubCheckRun(approvalCard({ scope_grant_ttl_seconds: ttl })).actions ?? [];
      expect(actions.map((a) => a.identifier)).toEqual(["approve_once", "approve_scope", "deny"]);
      expect(actions.length).toBeLessThanOrEqual(GITHUB_LIMITS.actions);
      for (const a of actions) {
        expect(a.label.length).toBeLessThanOrEqual(GITHUB_LIMITS.label);
        expect(a.description.length).toBeLessThanOrEqual(GITHUB_LIMITS.description);
        expect(a.identifier.length).toBeLessThanOrEqual(GITHUB_LIMITS.identifier);
      }
    }
    expect(githubCheckRun(approvalCard()).actions?.[1]?.description).toBe("Grant this scope for 1 hour");
  });

  it("lists the plan in the summary with user text escaped", () => {
    const card = approvalCard({ task: "ping @octocat, see [docs](https://evil.example) <img src=x>" });
    const withTick = { ...card, plan: { ...card.plan, intended_side_effects: [{ kind: "repo_push", target: "a`b", summary: "*loud*", risk_flags: ["destructive"] }] } };
    const summary = githubCheckRun(withTick).output?.summary ?? "";
    expect(summary).toContain("@\u200boctocat");
    expect(summary).toContain("\\[docs\\]\\(https\\:\\/\\/evil\\.example\\)");
    expect(summary).toContain("\\<img src\\=x\\>");
    expect(summary).toContain("``a`b``");
    expect(summary).toContain("\\*loud\\*");
    expect(summary).toContain("`package.json`");
    expect(summary).toContain("for 1 hour");
    expect(summary).toContain("[Open the run in the dashboard](https://clawea.example/runs/run_01J9Z2)");
  });

  it("leaves details_url out when there is no safe dashboard URL", () => {
    expect(githubCheckRun(approvalCard({ dashboard_url: "javascript:alert(1)" }))).not.toHaveProperty("details_url");
  });

  it("keeps an oversized plan under the summary limit and counts what it leaves out", () => {
    const summary = githubCheckRun(hugeCard()).output?.summary ?? "";
    expect(summary.length).toBeLessThanOrEqual(GITHUB_LIMITS.summary);
    expect(summary).toMatch(/…and \d+ more/);
    // Mentions are inert inside code spans (targets, paths); everywhere else they must be defused.
    const outsideCode = summary.replace(/(`+)[^`][\s\S]*?\1(?!`)/g, "");
    expect(outsideCode).toContain("@\u200boctocat");
    expect(outsideCode).not.toMatch(/@octocat/);
  });
});

describe("githubPrComment", () => {
  it("links the check run and the dashboard and fences the task so nothing in it is parsed", () => {
    const body = githubPrComment(approvalCard({ task: "```\n@octocat fixes #1\n````" }), "https://github.com/acme/sdk/runs/7");
    expect(body).toContain("[clawea approval](https://github.com/acme/sdk/runs/7)");
    expect(body).toContain("[dashboard](https://clawea.example/runs/run_01J9Z2)");
    expect(body).toContain("`````text\n```\n@octocat fixes #1\n````\n`````");
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMITS.comment);
  });
});
