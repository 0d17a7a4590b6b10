/**
 * The approval card as a Microsoft Teams Adaptive Card 1.5: pure, under Teams' 28 KB message limit.
 *
 * Buttons are `Action.Submit` with data `{ clawea_approval_id, decision }` (no `Action.Http`: Teams does
 * not run it). When a user presses one, Teams delivers to the bot that posted the card a `message`
 * activity whose `value` is that data plus the card's inputs (`reason`); a card re-sent with Universal
 * Actions would deliver an `invoke` named `adaptiveCard/action` with the data in `value.action.data`.
 * `verifyTeamsCallback` accepts both, signed as Teams signs outgoing-webhook calls (see README).
 *
 * Agent-written text goes only into `TextRun`s, which Teams shows as written: `TextBlock` and `FactSet`
 * parse Markdown (links, emphasis), so they carry only our own strings.
 */
import { BUTTONS, type ApprovalCard, type DecisionKind } from "./card.model.js";
import { displayText, fileMark, formatBytes, formatDuration, formatEstimate, httpUrl, limitList, moreLine, oneLine, truncate } from "./text.format.js";

/** Teams refuses messages over 28 KB (webhook, bot or workflow alike). */
export const TEAMS_MAX_MESSAGE_BYTES = 28 * 1024;
export const TEAMS_MAX_LISTED_ACTIONS = 8;
export const TEAMS_MAX_LISTED_FILES = 10;
export const TEAMS_REASON_MAX_LENGTH = 500;
export const TEAMS_REASON_INPUT_ID = "reason";

export interface TeamsActionData {
  clawea_approval_id: string;
  decision: DecisionKind;
}

export interface TextRun {
  type: "TextRun";
  text: string;
  weight?: "Bolder";
  fontType?: "Monospace";
  color?: "Attention";
  isSubtle?: boolean;
  size?: "Small";
}

export type AdaptiveElement =
  | { type: "TextBlock"; text: string; wrap: true; weight?: "Bolder"; size?: "Large" | "Small"; style?: "heading"; isSubtle?: boolean; separator?: boolean }
  | { type: "RichTextBlock"; inlines: TextRun[]; separator?: boolean }
  | { type: "Input.Text"; id: string; label: string; placeholder: string; isMultiline: true; maxLength: number };

export type AdaptiveAction =
  | { type: "Action.Submit"; title: string; style?: "positive" | "destructive"; data: TeamsActionData }
  | { type: "Action.ShowCard"; title: string; card: { type: "AdaptiveCard"; body: AdaptiveElement[]; actions: AdaptiveAction[] } }
  | { type: "Action.OpenUrl"; title: string; url: string };

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: "1.5";
  msteams: { width: "Full" };
  body: AdaptiveElement[];
  actions: AdaptiveAction[];
}

/**
 * `{{DATE(…)}}` and `{{TIME(…)}}` are expanded by Teams inside card text; a zero-width space keeps
 * agent text that happens to contain `{{` literal.
 */
function literal(text: string): string {
  return text.replace(/\{\{/g, "{\u200b{");
}

function run(text: string, style: Omit<TextRun, "type" | "text"> = {}): TextRun {
  return { type: "TextRun", text: literal(text), ...style };
}

function labelled(label: string, value: TextRun[]): AdaptiveElement {
  return { type: "RichTextBlock", inlines: [run(`${label}: `, { weight: "Bolder" }), ...value] };
}

function heading(text: string): AdaptiveElement {
  return { type: "TextBlock", text, wrap: true, weight: "Bolder", separator: true };
}

function more(count: number): AdaptiveElement[] {
  return count === 0 ? [] : [{ type: "TextBlock", text: moreLine(count), wrap: true, isSubtle: true }];
}

function submit(card: ApprovalCard, decision: DecisionKind, title: string, style?: "positive" | "destructive"): AdaptiveAction {
  const data: TeamsActionData = { clawea_approval_id: card.approval_id, decision };
  return style === undefined ? { type: "Action.Submit", title, data } : { type: "Action.Submit", title, style, data };
}

function actionElements(card: ApprovalCard): AdaptiveElement[] {
  const effects = card.plan.intended_side_effects;
  const { shown, more: left } = limitList(effects, TEAMS_MAX_LISTED_ACTIONS);
  const items: AdaptiveElement[] = shown.map((effect) => {
    const summary = truncate(oneLine(effect.summary), 200);
    const inlines = [run(truncate(oneLine(effect.kind), 40), { fontType: "Monospace" }), run(" "), run(truncate(oneLine(effect.target), 150), { fontType: "Monospace" })];
    if (summary !== "") inlines.push(run(` — ${summary}`));
    if (effect.risk_flags.length > 0) inlines.push(run(`  ⚠ ${truncate(effect.risk_flags.map(oneLine).join(", "), 100)}`, { color: "Attention" }));
    return { type: "RichTextBlock", inlines };
  });
  const empty: AdaptiveElement[] = effects.length === 0 ? [{ type: "TextBlock", text: "None captured.", wrap: true, isSubtle: true }] : [];
  return [heading(`Intended actions (${effects.length})`), ...empty, ...items, ...more(left)];
}

function fileElements(card: ApprovalCard): AdaptiveElement[] {
  const files = card.plan.workspace_diff.files;
  const { shown, more: left } = limitList(files, TEAMS_MAX_LISTED_FILES);
  const items: AdaptiveElement[] = shown.map((file) => {
    const size = formatBytes(file.size_bytes);
    const inlines = [run(`${fileMark(file.change)} `), run(truncate(oneLine(file.path), 150), { fontType: "Monospace" })];
    if (size !== "") inlines.push(run(` (${size})`, { isSubtle: true }));
    return { type: "RichTextBlock", inlines };
  });
  const empty: AdaptiveElement[] = files.length === 0 ? [{ type: "TextBlock", text: "None.", wrap: true, isSubtle: true }] : [];
  return [heading(`Files changed (${files.length})`), ...empty, ...items, ...more(left)];
}

export function teamsAdaptiveCard(card: ApprovalCard): AdaptiveCard {
  const ttl = formatDuration(card.scope_grant_ttl_seconds);
  const flags = card.plan.risk_flags.map(oneLine).join(", ");
  const dashboard = httpUrl(card.dashboard_url);
  const hashes = `plan ${truncate(card.plan.plan_hash_b64u, 100)} · scope ${truncate(card.scope_hash_b64u, 100)} · policy ${truncate(card.policy_hash_b64u, 100)} · approval ${truncate(oneLine(card.approval_id), 200)}`;
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    msteams: { width: "Full" },
    body: [
      { type: "TextBlock", text: "Approval needed", wrap: true, style: "heading", size: "Large", weight: "Bolder" },
      labelled("Agent", [run(truncate(oneLine(card.agent.name), 200))]),
      labelled("Task", [run(truncate(displayText(card.task), 1200))]),
      labelled("Requested by", [run(truncate(oneLine(card.requested_by), 200))]),
      labelled("Run", [run(truncate(oneLine(card.run_id), 200), { fontType: "Monospace" })]),
      labelled("Expires", [run(truncate(oneLine(card.expires_at), 100))]),
      labelled("Estimate", [run(formatEstimate(card.plan.estimate))]),
      labelled("Risk flags", [flags === "" ? run("none") : run(`⚠ ${truncate(flags, 300)}`, { color: "Attention" })]),
      ...actionElements(card),
      ...fileElements(card),
      { type: "RichTextBlock", separator: true, inlines: [run(hashes, { fontType: "Monospace", size: "Small", isSubtle: true })] },
      {
        type: "Input.Text",
        id: TEAMS_REASON_INPUT_ID,
        label: "Reason (optional)",
        placeholder: "Why you approve or deny",
        isMultiline: true,
        maxLength: TEAMS_REASON_MAX_LENGTH,
      },
    ],
    actions: [
      submit(card, "approve_once", BUTTONS.approve_once.label, "positive"),
      {
        // Adaptive Cards have no confirm dialog: the grant's duration is shown before it can be chosen.
        type: "Action.ShowCard",
        title: `${BUTTONS.approve_scope.label}…`,
        card: {
          type: "AdaptiveCard",
          body: [
            {
              type: "TextBlock",
              text: `This approves the run and grants its scope for ${ttl}: until then, plans whose side effects all fall within this scope need no new approval.`,
              wrap: true,
            },
          ],
          actions: [submit(card, "approve_scope", `Confirm: approve for ${ttl}`, "positive")],
        },
      },
      submit(card, "deny", BUTTONS.deny.label, "destructive"),
      ...(dashboard === null ? [] : [{ type: "Action.OpenUrl" as const, title: "Open in dashboard", url: dashboard }]),
    ],
  };
}

/** The body an incoming webhook or a Workflows "post to a channel" trigger expects. */
export function teamsWebhookMessage(content: AdaptiveCard): { type: "message"; attachments: [{ contentType: "application/vnd.microsoft.card.adaptive"; contentUrl: null; content: AdaptiveCard }] } {
  return { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content }] };
}
