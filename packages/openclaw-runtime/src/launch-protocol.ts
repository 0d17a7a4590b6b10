/**
 * What the data plane and the in-sandbox launcher (`launcher.ts`) exchange: one request on the
 * launcher's stdin, one report as the last line of its stdout. Types only, so the launcher, which
 * Node 24 runs on its own, imports nothing at run time.
 */

export interface LaunchRequest {
  /** The OpenClaw config file's text (`openclawConfig`, as JSON). */
  config: string;
  /** The task, passed to OpenClaw with `--message-file`. */
  task: string;
  /** OpenClaw's own `--timeout` (seconds) for the agent turn. */
  timeout_seconds: number;
  /**
   * The run's private directory (HOME, TMPDIR, `--state-dir`, the config and task files), relative to
   * the launcher's working directory or absolute. It is emptied first and removed at the end, so every
   * run starts with fresh OpenClaw state (no key cooldowns or sessions carried over). It must not be
   * inside the agent's workspace (`--cwd`, the launcher's working directory), or it shows up in diffs.
   */
  dir: string;
  /** Keep `dir` after the run (diagnostics). */
  keep?: boolean;
  /** How long after its `--timeout` OpenClaw (and everything it started) is killed if still running; 20 by default. */
  kill_grace_seconds?: number;
}

export interface LaunchToolCall {
  id: string;
  name: string;
  /** base64url SHA-256 of the arguments in RFC 8785 canonical JSON (of the raw text when not JSON). */
  args_sha256_b64u: string;
}

/** One assistant turn of OpenClaw's transcript: one model call. */
export interface LaunchStep {
  usage: { input: number; output: number } | null;
  tool_calls: LaunchToolCall[];
  /** The call failed: the provider's error as OpenClaw recorded it (the gateway's reason code is `code`). */
  error: { code: string | null; message: string } | null;
}

export interface LaunchToolResult {
  tool_call_id: string;
  is_error: boolean;
  /** The start of the result text (at most 1,000 characters), to find reason codes in. */
  text: string;
}

/** The last line of the launcher's stdout. */
export interface LaunchReport {
  launcher: "clawea-openclaw/1";
  /** OpenClaw's exit status (0 ok, 1 error, 2 timeout); null when it was killed or never started. */
  exit_code: number | null;
  signal: string | null;
  /** The launcher killed OpenClaw after its own timeout plus a grace period. */
  killed_after_timeout: boolean;
  /** OpenClaw's `--json` envelope (`ok`, `status`, `final`, `usage`, `toolSummary`, `sessionId`, ...), or null when stdout held none. */
  result: Record<string, unknown> | null;
  /** From the transcript in the state dir, in order; empty when it could not be read (see `transcript_error`). */
  steps: LaunchStep[];
  tool_results: LaunchToolResult[];
  transcript_error: string | null;
  /** A launcher failure (bad request, OpenClaw could not start). */
  error: string | null;
  /** The end of OpenClaw's stdout when it was not one JSON object. */
  stdout_tail: string | null;
}
