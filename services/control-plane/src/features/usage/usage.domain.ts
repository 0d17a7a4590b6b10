/** The usage report's rules that need no database: the admissible range, content negotiation, and CSV. */
import type { UsageKind } from "@clawea/db";
import type { UsageGrouping } from "./usage.schemas.js";

export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export interface UsageRow {
  group: string | null;
  kind: UsageKind;
  model: string | null;
  quantity: number;
}

/** Null when [from, to) is a usable range, else why not. */
export function rangeProblem(from: Date, to: Date): string | null {
  if (!(from < to)) return "from must lie before to";
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) return `the range may span at most ${MAX_RANGE_DAYS} days`;
  return null;
}

/** CSV when asked by `format`, else when the Accept header prefers text/csv to JSON (JSON wins ties and absence). */
export function wantsCsv(format: "json" | "csv" | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === "csv";
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === "text/csv") csv = Math.max(csv, q);
    else if (type === "application/json" || type === "*/*" || type === "application/*") json = Math.max(json, q);
  }
  return csv > json;
}

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula (a model name is caller-supplied
 * text) is prefixed with `'`, as OWASP's CSV-injection guidance advises.
 */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as CSV with a header row, CRLF line ends (RFC 4180). */
export function usageCsv(groupBy: UsageGrouping, rows: readonly UsageRow[]): string {
  const lines = [[groupBy, "kind", "model", "quantity"].join(",")];
  for (const row of rows) lines.push([row.group, row.kind, row.model, row.quantity].map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
