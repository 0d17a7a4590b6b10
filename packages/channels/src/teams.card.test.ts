import { describe, expect, it } from "vitest";
import { approvalCard, hugeCard } from "./fixtures.test-support.js";
import { TEAMS_MAX_MESSAGE_BYTES, teamsAdaptiveCard, teamsWebhookMessage, type AdaptiveAction, type AdaptiveElement } from "./teams.card.js";

function walkActions(actions: AdaptiveAction[]): AdaptiveAction[] {
  return actions.flatMap((a) => (a.type === "Action.ShowCard" ? [a, ...walkActions(a.card.actions)] : [a]));
}

function textBlocks(elements: AdaptiveElement[]): string[] {
  return elements.flatMap((e) => (e.type === "TextBlock" ? [e.text] : []));
}

describe("teamsAdaptiveCard", () => {
  it("is an Adaptive Card 1.5 with Submit buttons carrying the approval id and the decision", () => {
    const card = teamsAdaptiveCard(approvalCard());
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    const submits = walkActions(card.actions).filter((a) => a.type === "Action.Submit");
    expect(submits.map((a) => a.data)).toEqual([
      { clawea_approval_id: "apr_01J9Z3", decision: "approve_once" },
      { clawea_approval_id: "apr_01J9Z3", decision: "approve_scope" },
      { clawea_approval_id: "apr_01J9Z3", decision: "deny" },
    ]);
    expect(submits.find((a) => a.data.decision === "deny")).toMatchObject({ style: "destructive" });
    expect(JSON.stringify(card)).not.toContain("Action.Http");
  });

  it("shows the scope grant's duration before it can be chosen", () => {
    const showCard = teamsAdaptiveCard(approvalCard({ scope_grant_ttl_seconds: 7200 })).actions.find((a) => a.type === "Action.ShowCard");
    expect(showCard?.type).toBe("Action.ShowCard");
    if (showCard?.type !== "Action.ShowCard") return;
    expect(textBlocks(showCard.card.body).join(" ")).toContain("for 2 hours");
    expect(showCard.card.actions[0]).toMatchObject({ type: "Action.Submit", title: "Confirm: approve for 2 hours" });
  });

  it("has a reason input, the dashboard link and the plan's content", () => {
    const card = teamsAdaptiveCard(approvalCard());
    expect(card.body.find((e) => e.type === "Input.Text")).toMatchObject({ id: "reason", maxLength: 500 });
    expect(card.actions.at(-1)).toEqual({ type: "Action.OpenUrl", title: "Open in dashboard", url: "https://clawea.example/runs/run_01J9Z2" });
    const json = JSON.stringify(card);
    for (const needle of ["release-bot", "github.com/acme/sdk", "package.json", "12,000 tokens", "p".repeat(43)]) expect(json).toContain(needle);
    expect(JSON.stringify(teamsAdaptiveCard(approvalCard({ dashboard_url: "javascript:x" })))).not.toContain("javascript:");
  });

  it("puts user text only in TextRuns, which Teams does not parse as Markdown, and keeps {{ literal", () => {
    const card = teamsAdaptiveCard(hugeCard());
    const all = [...card.body, ...card.actions.flatMap((a) => (a.type === "Action.ShowCard" ? a.card.body : []))];
    for (const text of textBlocks(all)) {
      expect(text).not.toContain("evil.example");
      expect(text).not.toContain("@octocat");
    }
    const json = JSON.stringify(card);
    expect(json).toContain("[x](https://evil.example)");
    expect(json).not.toContain("{{");
  });

  it("fits Teams' 28 KB message limit for an oversized plan and counts what it leaves out", () => {
    const message = teamsWebhookMessage(teamsAdaptiveCard(hugeCard()));
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(TEAMS_MAX_MESSAGE_BYTES);
    const blocks = textBlocks(message.attachments[0].content.body);
    expect(blocks).toContain("Intended actions (300)");
    expect(blocks).toContain("…and 292 more");
    expect(blocks).toContain("…and 490 more");
  });

  it("wraps the card the way incoming webhooks and workflows expect", () => {
    const content = teamsAdaptiveCard(approvalCard());
    expect(teamsWebhookMessage(content)).toEqual({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content }] });
  });
});
