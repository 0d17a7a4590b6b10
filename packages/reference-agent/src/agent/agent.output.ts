/**
 * The agent's stdout contract: one JSON object per line, nothing else. The data plane reads these
 * lines; diagnostics go to stderr.
 */
import { createHash } from "node:crypto";

export type ToolOutcome = "ok" | "captured" | "denied" | "error";

export interface ModelCallLine {
  type: "model_call";
  step: number;
  /** The gateway's `x-clawea-receipt-id`, or null when the model API sent none. */
  receipt_id: string | null;
  tokens: { in: number; out: number };
}

export interface ToolCallLine {
  type: "tool_call";
  step: number;
  name: string;
  /** base64url SHA-256 of the arguments in RFC 8785 canonical JSON (of the raw text when it is not JSON). */
  args_sha256_b64u: string;
  outcome: ToolOutcome;
  reason_code?: string;
}

export interface ResultLine {
  type: "result";
  status: "completed" | "failed";
  summary: string;
  reason_code?: string;
}

export type OutputLine = ModelCallLine | ToolCallLine | ResultLine;

export type Emit = (line: OutputLine) => void;

export function lineEmitter(write: (text: string) => void): Emit {
  return (line) => write(`${JSON.stringify(line)}\n`);
}

/** RFC 8785 for the values JSON.parse can produce (so no undefined, NaN or Infinity can reach it). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no non-finite numbers");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    // Default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON has no ${typeof value}`);
}

export function sha256B64u(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("base64url");
}

export function argsHash(argsText: string): string {
  try {
    return sha256B64u(canonicalJson(JSON.parse(argsText)));
  } catch {
    return sha256B64u(argsText);
  }
}
