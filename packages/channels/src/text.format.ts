/**
 * Turning card data (partly written by agents and requesters) into text a vendor renders as written:
 * escaping per vendor, length limits, and the numbers and durations a human reads.
 */

/**
 * Controls and bidirectional overrides are removed: an approver must see the target the plan names,
 * not one a U+202E turned around (what is approved is the plan hash; the text only has to be honest).
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text with line breaks kept (a task, a summary) and nothing invisible. */
export function displayText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(INVISIBLE_RE, "").trim();
}

/** One line: any run of whitespace, line breaks included, becomes one space. */
export function oneLine(text: string): string {
  return displayText(text).replace(/\s+/g, " ");
}

/** At most `max` UTF-16 units, "…" included when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The first `max` items, and how many were left out. */
export function limitList<T>(items: readonly T[], max: number): { shown: readonly T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

export function moreLine(more: number): string {
  return `…and ${more} more`;
}

/** Slack mrkdwn: `&`, `<` and `>` are control characters there (links, mentions such as `<!channel>`). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Slack code span: mrkdwn has no escape for a backtick, so it becomes a look-alike that cannot close the span. */
export function slackCode(text: string): string {
  return `\`${slackEscape(oneLine(text).replace(/`/g, "ˋ"))}\``;
}

/**
 * GitHub Markdown: every ASCII punctuation character is backslash-escaped (CommonMark allows it for all
 * of them), and `@` is followed by a zero-width space so a name in agent text notifies nobody.
 */
export function markdownEscape(text: string): string {
  return text.replace(/[!-/:-?[-`{-~]/g, (c) => `\\${c}`).replace(/@/g, "@\u200b");
}

/** A GitHub code span fenced with more backticks than the text holds in a row (CommonMark's rule). */
export function markdownCode(text: string): string {
  const line = oneLine(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** An absolute http(s) URL, normalised, or null: only those become links or buttons. */
export function httpUrl(text: string | undefined): string | null {
  if (text === undefined || !URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
}

/** Digits grouped by thousands, the same on every machine (no locale). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? "-" : "";
  const [whole = "0", fraction] = Math.abs(n).toString().split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

const UNITS = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
] as const;

/** "1 hour", "1 hour 30 minutes", "2 days": the largest unit and, when not zero, the next one down. */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const index = UNITS.findIndex(([, size]) => total >= size);
  if (index < 0) return "0 seconds";
  const [name, size] = UNITS[index]!;
  const major = Math.floor(total / size);
  const parts = [plural(major, name)];
  const next = UNITS[index + 1];
  if (next !== undefined) {
    const minor = Math.floor((total - major * size) / next[1]);
    if (minor > 0) parts.push(plural(minor, next[0]));
  }
  return parts.join(" ");
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

export function formatEstimate(estimate: { tokens: number; cost_minor: number; duration_ms: number }): string {
  const duration = estimate.duration_ms < 1000 ? "under a second" : `about ${formatDuration(estimate.duration_ms / 1000)}`;
  return `${formatCount(estimate.tokens)} tokens · cost ${formatCount(estimate.cost_minor)} (minor currency units) · ${duration}`;
}

export function fileMark(change: "added" | "modified" | "deleted"): string {
  return change === "added" ? "+" : change === "deleted" ? "−" : "~";
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
