/** The approval card as Slack Block Kit: pure, within Slack's documented block limits, user text escaped. */
import type { KnownBlock, SectionBlock } from "@slack/web-api";
import { BUTTONS, type ApprovalCard, type CardOutcome } from "./card.model.js";
import {
  displayText,
  fileMark,
  formatBytes,
  formatDuration,
  formatEstimate,
  httpUrl,
  limitList,
  moreLine,
  oneLine,
  slackCode,
  slackEscape,
  truncate,
} from "./text.format.js";

/** Slack's limits (Block Kit reference), in characters. */
export const SLACK_LIMITS = Object.freeze({
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  contextText: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  buttonValue: 2000,
  /** A message's `text` is cut by Slack at 40,000; notifications show far less. */
  fallbackText: 300,
});

export const SLACK_MAX_LISTED_ACTIONS = 10;
export const SLACK_MAX_LISTED_FILES = 15;
export const SLACK_ACTIONS_BLOCK_ID = "clawea_approval";

/** Escapes, then cuts at `max` characters without splitting an entity or a surrogate pair. */
function fitEscaped(text: string, max: number): string {
  const full = slackEscape(text);
  if (full.length <= max) return full;
  let out = "";
  for (const ch of text) {
    const escaped = slackEscape(ch);
    if (out.length + escaped.length > max - 1) break;
    out += escaped;
  }
  return `${out}…`;
}

/** A heading line, then as many of `lines` as fit in one section, the rest counted. */
function listText(title: string, lines: readonly string[], total: number, empty: string): string {
  if (total === 0) return `${title}\n${empty}`;
  const reserve = moreLine(total).length + 1;
  let text = title;
  let shown = 0;
  for (const line of lines) {
    if (text.length + 1 + line.length > SLACK_LIMITS.sectionText - reserve) break;
    text += `\n${line}`;
    shown += 1;
  }
  return shown < total ? `${text}\n${moreLine(total - shown)}` : text;
}

function mrkdwnSection(text: string): SectionBlock {
  // verbatim: Slack must not turn agent-written words into links, channel names or @-mentions.
  return { type: "section", text: { type: "mrkdwn", text, verbatim: true } };
}

function flagsText(flags: readonly string[]): string {
  return flags.length === 0 ? "" : `:warning: ${flags.map((f) => slackEscape(oneLine(f))).join(", ")}`;
}

function actionLines(card: ApprovalCard): string[] {
  const { shown } = limitList(card.plan.intended_side_effects, SLACK_MAX_LISTED_ACTIONS);
  return shown.map((effect) => {
    const summary = oneLine(effect.summary);
    const flags = flagsText(effect.risk_flags);
    return [
      `• ${slackCode(truncate(oneLine(effect.kind), 40))} ${slackCode(truncate(oneLine(effect.target), 200))}`,
      summary === "" ? "" : ` — ${fitEscaped(summary, 300)}`,
      flags === "" ? "" : `  ${flags}`,
    ].join("");
  });
}

function fileLines(card: ApprovalCard): string[] {
  const { shown } = limitList(card.plan.workspace_diff.files, SLACK_MAX_LISTED_FILES);
  return shown.map((file) => {
    const size = formatBytes(file.size_bytes);
    return `${fileMark(file.change)} ${slackCode(truncate(oneLine(file.path), 200))}${size === "" ? "" : ` (${size})`}`;
  });
}

/** `<url|text>`: `|` would end the URL early, so it is percent-encoded like `<` and `>` already are. */
function slackLink(url: string, text: string): string {
  return `<${slackEscape(url.replace(/\|/g, "%7C"))}|${fitEscaped(oneLine(text), 200)}>`;
}

function field(title: string, value: string): { type: "mrkdwn"; text: string; verbatim: true } {
  return { type: "mrkdwn", text: `*${title}*\n${value}`, verbatim: true };
}

/** Everything but the buttons: the card as it stays once decided. */
function summaryBlocks(card: ApprovalCard): KnownBlock[] {
  const dashboard = httpUrl(card.dashboard_url);
  const run = dashboard === null ? slackCode(truncate(card.run_id, 200)) : slackLink(dashboard, card.run_id);
  const flags = flagsText(card.plan.risk_flags);
  const fieldMax = SLACK_LIMITS.fieldText - 40;
  const total = card.plan.intended_side_effects.length;
  const files = card.plan.workspace_diff.files.length;
  return [
    {
      type: "header",
      // plain_text is shown as written: no escaping, and no mention or link is ever parsed in it.
      text: { type: "plain_text", text: truncate(`Approval needed: ${oneLine(card.agent.name)}`, SLACK_LIMITS.headerText), emoji: false },
    },
    mrkdwnSection(`*Task*\n${fitEscaped(displayText(card.task), SLACK_LIMITS.sectionText - 20)}`),
    {
      type: "section",
      fields: [
        field("Agent", fitEscaped(oneLine(card.agent.name), fieldMax)),
        field("Requested by", fitEscaped(oneLine(card.requested_by), fieldMax)),
        field("Run", run),
        field("Expires", fitEscaped(oneLine(card.expires_at), 100)),
        field("Estimate", slackEscape(formatEstimate(card.plan.estimate))),
        field("Risk flags", flags === "" ? "none" : truncate(flags, fieldMax)),
      ],
    },
    mrkdwnSection(listText(`*Intended actions (${total})*`, actionLines(card), total, "_None captured._")),
    mrkdwnSection(listText(`*Files changed (${files})*`, fileLines(card), files, "_None._")),
    {
      type: "context",
      elements: [
        { type: "mrkdwn", text: `plan ${slackCode(truncate(card.plan.plan_hash_b64u, 100))}`, verbatim: true },
        { type: "mrkdwn", text: `scope ${slackCode(truncate(card.scope_hash_b64u, 100))}`, verbatim: true },
        { type: "mrkdwn", text: `policy ${slackCode(truncate(card.policy_hash_b64u, 100))}`, verbatim: true },
        { type: "mrkdwn", text: `approval ${slackCode(truncate(card.approval_id, 200))}`, verbatim: true },
      ],
    },
  ];
}

/** The card with its three buttons; every button's `value` is the approval id. */
export function slackBlocks(card: ApprovalCard): KnownBlock[] {
  const ttl = formatDuration(card.scope_grant_ttl_seconds);
  return [
    ...summaryBlocks(card),
    {
      type: "actions",
      block_id: SLACK_ACTIONS_BLOCK_ID,
      elements: [
        {
          type: "button",
          action_id: BUTTONS.approve_once.slack_action_id,
          text: { type: "plain_text", text: BUTTONS.approve_once.label },
          style: "primary",
          value: card.approval_id,
        },
        {
          type: "button",
          action_id: BUTTONS.approve_scope.slack_action_id,
          text: { type: "plain_text", text: BUTTONS.approve_scope.label },
          value: card.approval_id,
          confirm: {
            title: { type: "plain_text", text: "Approve for scope?" },
            text: {
              type: "plain_text",
              text: truncate(
                `This approves the run and grants its scope for ${ttl}: until then, plans whose side effects all fall within this scope need no new approval.`,
                SLACK_LIMITS.confirmText,
              ),
            },
            confirm: { type: "plain_text", text: BUTTONS.approve_scope.label },
            deny: { type: "plain_text", text: "Cancel" },
          },
        },
        {
          type: "button",
          action_id: BUTTONS.deny.slack_action_id,
          text: { type: "plain_text", text: BUTTONS.deny.label },
          style: "danger",
          value: card.approval_id,
        },
      ],
    },
  ];
}

/** The `text` Slack shows in notifications and screen readers, where blocks are not rendered. */
export function slackFallbackText(card: ApprovalCard): string {
  return fitEscaped(`Approval needed: ${oneLine(card.agent.name)}: ${oneLine(card.task)}`, SLACK_LIMITS.fallbackText);
}

function outcomeText(outcome: CardOutcome): string {
  switch (outcome.status) {
    case "decided": {
      const who =
        outcome.via === "slack" && /^[UW][A-Z0-9]+$/.test(outcome.actor.id)
          ? `<@${outcome.actor.id}>`
          : fitEscaped(oneLine(outcome.actor.display ?? outcome.actor.id), 200);
      const mark = outcome.decision === "deny" ? ":no_entry:" : ":white_check_mark:";
      return `${mark} *${BUTTONS[outcome.decision].done}* by ${who} via ${outcome.via} at ${fitEscaped(oneLine(outcome.decided_at), 100)}`;
    }
    case "expired":
      return `:hourglass: *Expired* at ${fitEscaped(oneLine(outcome.expired_at), 100)} without a decision`;
  }
}

/** The card once nobody should press its buttons: the same summary, the outcome in their place. */
export function slackOutcomeBlocks(card: ApprovalCard, outcome: CardOutcome): KnownBlock[] {
  // verbatim keeps an explicit <@U…> a mention but stops a display name such as "@here" from becoming one.
  return [...summaryBlocks(card), mrkdwnSection(outcomeText(outcome))];
}

export function slackOutcomeFallbackText(card: ApprovalCard, outcome: CardOutcome): string {
  const what = outcome.status === "decided" ? BUTTONS[outcome.decision].done : "Expired";
  return fitEscaped(`${what}: ${oneLine(card.agent.name)}: ${oneLine(card.task)}`, SLACK_LIMITS.fallbackText);
}
