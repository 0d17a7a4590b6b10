/**
 * The agent's tools: their function-calling schemas as the model sees them, and one dispatcher that
 * runs a call and says how it went. `finish` is handled by the loop, not here.
 */
import type { EgressOptions } from "./agent.egress.js";
import { httpRequest } from "./agent.egress.js";
import type { ToolOutcome } from "./agent.output.js";
import type { Workspace } from "./agent.workspace.js";

export interface ToolResult {
  outcome: ToolOutcome;
  reasonCode?: string;
  /** What the model reads (as JSON, next to `outcome` and `reason_code`). */
  content: Record<string, unknown>;
}

const str = (description: string) => ({ type: "string", description });

function tool(name: string, description: string, properties: Record<string, unknown>, required: string[]) {
  return { type: "function", function: { name, description, parameters: { type: "object", properties, required, additionalProperties: false } } } as const;
}

export const TOOL_SPECS = [
  tool("write_file", "Create or overwrite a UTF-8 text file in the workspace (parent folders are created).", { path: str("Path relative to the workspace."), content: str("The whole file content.") }, ["path", "content"]),
  tool("read_file", "Read a UTF-8 text file from the workspace (the first 64 KiB).", { path: str("Path relative to the workspace.") }, ["path"]),
  tool("list_files", "List the files under a workspace folder, recursively; folders end in '/'.", { path: str("Folder relative to the workspace; the workspace itself when omitted.") }, []),
  tool("delete_file", "Delete one file from the workspace.", { path: str("Path relative to the workspace.") }, ["path"]),
  tool(
    "http_request",
    "Send an HTTP request through the clawea gateway. In the plan phase it is captured for approval instead of sent; requests outside the policy are denied with a reason code.",
    {
      method: str("GET, POST, PUT, PATCH, DELETE, ..."),
      url: str("Absolute http:// or https:// URL."),
      headers: { type: "object", additionalProperties: { type: "string" }, description: "Request headers." },
      body: str("Request body as text."),
    },
    ["method", "url"],
  ),
  tool("finish", "End the task with a short summary of what was done (and what was captured or denied).", { summary: str("What was done.") }, ["summary"]),
];

export type ToolName = (typeof TOOL_SPECS)[number]["function"]["name"];

export interface Toolbox {
  execute(name: string, argsText: string): Promise<ToolResult>;
}

export function parseArgs(argsText: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(argsText === "" ? "{}" : argsText);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function createToolbox(deps: { workspace: Workspace; egress: EgressOptions }): Toolbox {
  return {
    async execute(name, argsText) {
      const args = parseArgs(argsText);
      if (args === null) return { outcome: "error", reasonCode: "TOOL_ARGUMENTS_INVALID", content: { error: "arguments must be a JSON object" } };
      switch (name as ToolName) {
        case "write_file":
          return deps.workspace.writeFile(args["path"], args["content"]);
        case "read_file":
          return deps.workspace.readFile(args["path"]);
        case "list_files":
          return deps.workspace.listFiles(args["path"]);
        case "delete_file":
          return deps.workspace.deleteFile(args["path"]);
        case "http_request":
          return httpRequest(args, deps.egress);
        default:
          return { outcome: "error", reasonCode: "TOOL_UNKNOWN", content: { error: `no tool named ${name}`, tools: TOOL_SPECS.map((t) => t.function.name) } };
      }
    },
  };
}

/** The tool message the model reads back. */
export function toolMessageContent(result: ToolResult): string {
  return JSON.stringify({ outcome: result.outcome, ...(result.reasonCode === undefined ? {} : { reason_code: result.reasonCode }), ...result.content });
}
