/**
 * The approval card as a GitHub check run (conclusion `action_required`, one requested action per
 * button) and as an optional pull-request comment pointing to it. Pure; Markdown escaped; within
 * GitHub's documented limits.
 */
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { BUTTONS, DECISION_KINDS, type ApprovalCard, type DecisionKind } from "./card.model.js";
import {
  displayText,
  fileMark,
  formatBytes,
  formatDuration,
  formatEstimate,
  httpUrl,
  limitList,
  markdownCode,
  markdownEscape,
  moreLine,
  oneLine,
  truncate,
} from "./text.format.js";

export const GITHUB_CHECK_NAME = "clawea approval";

/** GitHub's limits (checks API): at most 3 actions; label and identifier 20 characters, description 40; summary 65,535. */
export const GITHUB_LIMITS = Object.freeze({ actions: 3, label: 20, description: 40, identifier: 20, summary: 65_535, title: 200, comment: 65_536 });
export const GITHUB_MAX_LISTED_ACTIONS = 50;
export const GITHUB_MAX_LISTED_FILES = 100;

/** `checks.create` parameters except where the check goes (`owner`, `repo`, `head_sha`). */
export type GithubCheckRunParams = Pick<RestEndpointMethodTypes["checks"]["create"]["parameters"], "name" | "external_id" | "status" | "conclusion" | "details_url" | "output" | "actions">;

/** Escapes, then cuts at `max` characters without splitting an escape or a surrogate pair. */
function fitEscaped(text: string, max: number): string {
  const full = markdownEscape(text);
  if (full.length <= max) return full;
  let out = "";
  for (const ch of text) {
    const escaped = markdownEscape(ch);
    if (out.length + escaped.length > max - 1) break;
    out += escaped;
  }
  return `${out}…`;
}

/** A heading and as many lines as fit in `budget` characters, the rest counted. */
function listMarkdown(title: string, lines: readonly string[], total: number, budget: number, empty: string): string {
  if (total === 0) return `${title}\n\n${empty}`;
  let text = `${title}\n`;
  let shown = 0;
  for (const line of lines) {
    if (text.length + line.length + 1 > budget) break;
    text += `\n${line}`;
    shown += 1;
  }
  return shown < total ? `${text}\n\n${moreLine(total - shown)}` : text;
}

function quote(text: string, max: number): string {
  return fitEscaped(displayText(text), max)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

function actionLines(card: ApprovalCard): string[] {
  return limitList(card.plan.intended_side_effects, GITHUB_MAX_LISTED_ACTIONS).shown.map((effect) => {
    const summary = oneLine(effect.summary);
    const flags = effect.risk_flags.length === 0 ? "" : ` ⚠️ ${fitEscaped(effect.risk_flags.map(oneLine).join(", "), 200)}`;
    return `- ${markdownCode(truncate(effect.kind, 40))} ${markdownCode(truncate(effect.target, 300))}${summary === "" ? "" : ` — ${fitEscaped(summary, 500)}`}${flags}`;
  });
}

function fileLines(card: ApprovalCard): string[] {
  return limitList(card.plan.workspace_diff.files, GITHUB_MAX_LISTED_FILES).shown.map((file) => {
    const size = formatBytes(file.size_bytes);
    return `- ${fileMark(file.change)} ${markdownCode(truncate(file.path, 300))}${size === "" ? "" : ` (${size})`}`;
  });
}

function decisionDescription(decision: DecisionKind, ttl: string): string {
  switch (decision) {
    case "approve_once":
      return "Approve this plan for this run only";
    case "approve_scope":
      return truncate(`Grant this scope for ${ttl}`, GITHUB_LIMITS.description);
    case "deny":
      return "Refuse this plan; the run stops";
  }
}

export function githubCheckRun(card: ApprovalCard): GithubCheckRunParams {
  const ttl = formatDuration(card.scope_grant_ttl_seconds);
  const dashboard = httpUrl(card.dashboard_url);
  const effects = card.plan.intended_side_effects.length;
  const files = card.plan.workspace_diff.files.length;
  const flags = card.plan.risk_flags.length === 0 ? "none" : `⚠️ ${fitEscaped(card.plan.risk_flags.map(oneLine).join(", "), 500)}`;
  const summary = [
    `**Approval needed** for agent **${fitEscaped(oneLine(card.agent.name), 200)}**, run ${markdownCode(truncate(card.run_id, 200))}, requested by ${fitEscaped(oneLine(card.requested_by), 200)}.`,
    quote(card.task, 8_000),
    listMarkdown(`**Intended actions (${effects})**`, actionLines(card), effects, 30_000, "_None captured._"),
    listMarkdown(`**Files changed (${files})**`, fileLines(card), files, 15_000, "_None._"),
    `**Estimate:** ${markdownEscape(formatEstimate(card.plan.estimate))}  \n**Risk flags:** ${flags}  \n**Expires:** ${fitEscaped(oneLine(card.expires_at), 100)}`,
    `Decide with the buttons at the top of this check run. **${BUTTONS.approve_scope.label}** grants this scope for ${ttl}: until then, plans whose side effects all fall within it need no new approval.${dashboard === null ? "" : ` [Open the run in the dashboard](${dashboard}).`}`,
    `<sub>plan ${markdownCode(truncate(card.plan.plan_hash_b64u, 100))} · scope ${markdownCode(truncate(card.scope_hash_b64u, 100))} · policy ${markdownCode(truncate(card.policy_hash_b64u, 100))} · approval ${markdownCode(truncate(card.approval_id, 200))}</sub>`,
  ].join("\n\n");
  return {
    name: GITHUB_CHECK_NAME,
    external_id: card.approval_id,
    status: "completed",
    conclusion: "action_required",
    ...(dashboard === null ? {} : { details_url: dashboard }),
    output: {
      title: truncate(`Approval needed: ${oneLine(card.agent.name)}`, GITHUB_LIMITS.title),
      summary: truncate(summary, GITHUB_LIMITS.summary),
    },
    actions: DECISION_KINDS.map((decision) => ({
      label: BUTTONS[decision].label,
      description: decisionDescription(decision, ttl),
      identifier: decision,
    })),
  };
}

/** A fenced block of plain text: the fence is longer than any backtick run inside, so nothing can close it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** The pull-request comment: who wants what, and where to decide (mentions and references in agent text stay inert). */
export function githubPrComment(card: ApprovalCard, checkRunUrl: string | null): string {
  const dashboard = httpUrl(card.dashboard_url);
  const check = checkRunUrl === null ? null : httpUrl(checkRunUrl);
  const where = [check === null ? null : `the [${GITHUB_CHECK_NAME}](${check}) check run`, dashboard === null ? null : `the [dashboard](${dashboard})`]
    .filter((w) => w !== null)
    .join(" or ");
  const flags = card.plan.risk_flags.length === 0 ? "no risk flags" : `risk flags: ${fitEscaped(card.plan.risk_flags.map(oneLine).join(", "), 300)}`;
  return [
    `**clawea: approval needed** for agent **${fitEscaped(oneLine(card.agent.name), 200)}**, run ${markdownCode(truncate(card.run_id, 200))}.`,
    fenced(truncate(displayText(card.task), 1_000)),
    `${card.plan.intended_side_effects.length} intended actions, ${card.plan.workspace_diff.files.length} files changed, ${flags}. Expires ${fitEscaped(oneLine(card.expires_at), 100)}.`,
    where === "" ? "Decide in clawea." : `Decide in ${where}.`,
  ].join("\n\n");
}
