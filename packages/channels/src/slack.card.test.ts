import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { approvalCard, hugeCard } from "./fixtures.test-support.js";
import { SLACK_LIMITS, slackBlocks, slackFallbackText, slackOutcomeBlocks } from "./slack.card.js";

interface TextObject {
  type: "plain_text" | "mrkdwn";
  text: string;
  verbatim?: boolean;
}

/** Every text object in the blocks, with the limit Slack puts on it. */
function texts(blocks: KnownBlock[]): { where: string; object: TextObject; max: number }[] {
  const out: { where: string; object: TextObject; max: number }[] = [];
  for (const block of blocks) {
    if (block.type === "header") out.push({ where: "header", object: block.text as TextObject, max: SLACK_LIMITS.headerText });
    if (block.type === "section") {
      if (block.text) out.push({ where: "section", object: block.text as TextObject, max: SLACK_LIMITS.sectionText });
      for (const f of block.fields ?? []) out.push({ where: "field", object: f as TextObject, max: SLACK_LIMITS.fieldText });
    }
    if (block.type === "context") for (const e of block.elements) out.push({ where: "context", object: e as TextObject, max: SLACK_LIMITS.contextText });
  }
  return out;
}

function actionsBlock(blocks: KnownBlock[]) {
  const block = blocks.at(-1);
  if (block?.type !== "actions") throw new Error("the last block is not the actions block");
  return block;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe("slackBlocks", () => {
  it("has a header, the task, facts, actions, files, hashes and three buttons", () => {
    const blocks = slackBlocks(approvalCard());
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "section", "context", "actions"]);
    const all = JSON.stringify(blocks);
    for (const needle of ["release-bot", "Bump the SDK version", "`repo_push`", "`github.com/acme/sdk`", "external_write", "`package.json`", "1.5 KiB", "12,000 tokens", "p".repeat(43), "s".repeat(43), "w".repeat(43)]) {
      expect(all).toContain(needle);
    }
  });

  it("gives every button its action id, the approval id as value, and the right style", () => {
    const buttons = actionsBlock(slackBlocks(approvalCard())).elements as { action_id: string; value: string; style?: string; confirm?: { text: { text: string } } }[];
    expect(buttons.map((b) => b.action_id)).toEqual(["clawea_approve_once", "clawea_approve_scope", "clawea_deny"]);
    expect(buttons.map((b) => b.value)).toEqual(["apr_01J9Z3", "apr_01J9Z3", "apr_01J9Z3"]);
    expect(buttons.map((b) => b.style)).toEqual(["primary", undefined, "danger"]);
    expect(buttons[0]!.confirm).toBeUndefined();
    expect(buttons[1]!.confirm?.text.text).toContain("for 1 hour");
    expect(buttons[2]!.confirm).toBeUndefined();
    const longer = actionsBlock(slackBlocks(approvalCard({ scope_grant_ttl_seconds: 5400 }))).elements[1] as { confirm: { text: { text: string } } };
    expect(longer.confirm.text.text).toContain("for 1 hour 30 minutes");
  });

  it("escapes user text in mrkdwn and keeps Slack from parsing it", () => {
    const blocks = slackBlocks(
      approvalCard({ task: "ping <!channel> & see <https://evil.example|docs>", requested_by: "<@U999>", agent: { id: "agt_1", name: "a <b> & c" } }),
    );
    const mrkdwn = texts(blocks).filter((t) => t.object.type === "mrkdwn");
    expect(mrkdwn.every((t) => t.object.verbatim === true)).toBe(true);
    const joined = mrkdwn.map((t) => t.object.text).join("\n");
    expect(joined).toContain("ping &lt;!channel&gt; &amp; see &lt;https://evil.example|docs&gt;");
    expect(joined).toContain("&lt;@U999&gt;");
    expect(joined).not.toContain("<!channel>");
    expect(joined).not.toContain("<@U999>");
    // plain_text is shown as written, so the header is not escaped.
    expect((blocks[0] as { text: TextObject }).text).toMatchObject({ type: "plain_text", text: "Approval needed: a <b> & c" });
  });

  it("links the run to an http(s) dashboard only", () => {
    expect(JSON.stringify(slackBlocks(approvalCard()))).toContain("<https://clawea.example/runs/run_01J9Z2|run_01J9Z2>");
    const unsafe = JSON.stringify(slackBlocks(approvalCard({ dashboard_url: "javascript:alert(1)" })));
    expect(unsafe).not.toContain("javascript:");
    expect(JSON.stringify(slackBlocks(approvalCard({ dashboard_url: "https://d.example/a|b>c" })))).toContain("<https://d.example/a%7Cb%3Ec|run_01J9Z2>");
  });

  it("lists at most ten actions and counts the rest", () => {
    const effects = Array.from({ length: 12 }, (_, i) => ({ kind: "email", target: `user${i}@example.com`, summary: "", risk_flags: [] }));
    const card = approvalCard();
    const text = JSON.stringify(slackBlocks({ ...card, plan: { ...card.plan, intended_side_effects: effects } }));
    expect(text).toContain("user9@example.com");
    expect(text).not.toContain("user10@example.com");
    expect(text).toContain("…and 2 more");
  });

  it("stays within every Slack limit, whole entities and well-formed UTF-16 for an oversized plan", () => {
    const blocks = slackBlocks(hugeCard());
    for (const { where, object, max } of texts(blocks)) {
      expect(object.text.length, where).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(object.text), where).toBe(false);
      if (object.type === "mrkdwn") {
        expect(object.text, where).not.toMatch(/<!|<@/);
        // A cut never leaves half an entity behind.
        expect(object.text.replace(/&(amp|lt|gt);/g, ""), where).not.toMatch(/&(a|am|l|g)?$/);
      }
    }
    const sections = JSON.stringify(blocks);
    const more = /…and (\d+) more/.exec(sections);
    expect(more).not.toBeNull();
    expect(slackFallbackText(hugeCard()).length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it("replaces the buttons with the outcome once decided", () => {
    const card = approvalCard();
    const bySlack = slackOutcomeBlocks(card, { status: "decided", decision: "approve_scope", actor: { id: "U123ABC", display: "ann" }, via: "slack", decided_at: "2030-01-01T11:00:00Z" });
    expect(bySlack.some((b) => b.type === "actions")).toBe(false);
    const last = JSON.stringify(bySlack.at(-1));
    expect(last).toContain("Approved for scope");
    expect(last).toContain("<@U123ABC>");

    const byTeams = JSON.stringify(slackOutcomeBlocks(card, { status: "decided", decision: "deny", actor: { id: "29:x", display: "<!here> Bob" }, via: "teams", decided_at: "2030-01-01T11:00:00Z" }).at(-1));
    expect(byTeams).toContain("Denied");
    expect(byTeams).toContain("&lt;!here&gt; Bob");
    expect(byTeams).not.toContain("<!here>");

    expect(JSON.stringify(slackOutcomeBlocks(card, { status: "expired", expired_at: "2030-01-01T12:00:00Z" }).at(-1))).toContain("Expired");
  });
});
