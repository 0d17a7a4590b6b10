/**
 * The task language of the scripted model: one directive per line, everything else is prose. The
 * scripted model turns directives into the reference agent's tool calls, one per assistant turn.
 */

export type Directive =
  | { kind: "write"; path: string; content: string }
  | { kind: "read"; path: string }
  | { kind: "list"; path?: string }
  | { kind: "delete"; path: string }
  | { kind: "http"; method: string; url: string; body?: string }
  | { kind: "finish"; summary: string };

/** A function call as the OpenAI chat API carries it, with the arguments still as a value. */
export interface ToolCallSpec {
  name: string;
  arguments: Record<string, unknown>;
}

/** A path is one token (no whitespace, and for `write` no colon), so "write a poem: ..." stays prose. */
const WRITE_RE = /^write ([^\s:]+):(.*)$/;
const READ_RE = /^read (\S+)$/;
const DELETE_RE = /^delete (\S+)$/;
const LIST_RE = /^list(?: (\S+))?$/;
const HTTP_RE = /^http ([A-Za-z]+) (\S+)(?: (.*))?$/;
const FINISH_RE = /^finish(?::\s*(.*))?$/;

/** `"a\nb"` is decoded as a JSON string; anything else is taken as written. */
function contentOf(raw: string): string {
  const text = raw.trim();
  if (text.startsWith('"')) {
    try {
      const decoded: unknown = JSON.parse(text);
      if (typeof decoded === "string") return decoded;
    } catch {
      // Not a JSON string: the quotes are part of the content.
    }
  }
  return text;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function parseLine(line: string): Directive | null {
  let m = WRITE_RE.exec(line);
  if (m) return { kind: "write", path: m[1]!, content: contentOf(m[2]!) };
  m = READ_RE.exec(line);
  if (m) return { kind: "read", path: m[1]! };
  m = DELETE_RE.exec(line);
  if (m) return { kind: "delete", path: m[1]! };
  m = LIST_RE.exec(line);
  if (m) return m[1] === undefined ? { kind: "list" } : { kind: "list", path: m[1] };
  m = HTTP_RE.exec(line);
  if (m && isHttpUrl(m[2]!)) {
    const body = m[3]?.trim();
    const method = m[1]!.toUpperCase();
    return body ? { kind: "http", method, url: m[2]!, body } : { kind: "http", method, url: m[2]! };
  }
  m = FINISH_RE.exec(line);
  if (m) return { kind: "finish", summary: (m[1] ?? "").trim() };
  return null;
}

/**
 * The directives of a task, in order. Lines are trimmed; keywords are lower case and must match
 * exactly, otherwise the line is prose. Nothing after a `finish` line counts.
 */
export function parseDirectives(task: string): Directive[] {
  const directives: Directive[] = [];
  for (const raw of task.split(/\r?\n/)) {
    const directive = parseLine(raw.trim());
    if (directive === null) continue;
    directives.push(directive);
    if (directive.kind === "finish") break;
  }
  return directives;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The reference agent's tool call that performs a directive. */
export function directiveToolCall(directive: Directive): ToolCallSpec {
  switch (directive.kind) {
    case "write":
      return { name: "write_file", arguments: { path: directive.path, content: directive.content } };
    case "read":
      return { name: "read_file", arguments: { path: directive.path } };
    case "list":
      return { name: "list_files", arguments: directive.path === undefined ? {} : { path: directive.path } };
    case "delete":
      return { name: "delete_file", arguments: { path: directive.path } };
    case "http": {
      if (directive.body === undefined) return { name: "http_request", arguments: { method: directive.method, url: directive.url } };
      const contentType = isJson(directive.body) ? "application/json" : "text/plain; charset=utf-8";
      return {
        name: "http_request",
        arguments: { method: directive.method, url: directive.url, headers: { "content-type": contentType }, body: directive.body },
      };
    }
    case "finish":
      return { name: "finish", arguments: { summary: directive.summary } };
  }
}

/** A short human label for a tool call, as the final summary names it. */
export function describeToolCall(name: string, args: unknown): string {
  const a = typeof args === "object" && args !== null ? (args as Record<string, unknown>) : {};
  const str = (key: string): string => (typeof a[key] === "string" ? (a[key] as string) : "?");
  switch (name) {
    case "write_file":
      return `write ${str("path")}`;
    case "read_file":
      return `read ${str("path")}`;
    case "delete_file":
      return `delete ${str("path")}`;
    case "list_files":
      return typeof a["path"] === "string" ? `list ${a["path"]}` : "list";
    case "http_request":
      return `http ${str("method").toUpperCase()} ${str("url")}`;
    default:
      return name;
  }
}
