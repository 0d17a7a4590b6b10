/**
 * Reason codes the agent reports itself. Codes from the gateway (POLICY_*, CST_*, EGRESS_*,
 * PLAN_PHASE_SIDE_EFFECT_CAPTURED, ...) are passed through unchanged; these cover what happens
 * on the agent's side of the wire.
 */
export const AGENT_REASON_CODES = {
  AGENT_CONFIG_INVALID: "The environment does not describe a runnable task (exit 1).",
  AGENT_MAX_STEPS_EXCEEDED: "CLAWEA_MAX_STEPS model calls were made without the model calling finish.",
  MODEL_UNREACHABLE: "The model API could not be reached, or did not answer in time, after the retries.",
  MODEL_CALL_FAILED: "The model API refused the call without a reason code of its own.",
  MODEL_RESPONSE_INVALID: "The model API answered 2xx with something that is not a chat completion.",
  INTERNAL_ERROR: "The agent crashed (exit 1); the stack is on stderr.",
  TOOL_UNKNOWN: "The model called a tool the agent does not have.",
  TOOL_ARGUMENTS_INVALID: "The tool's arguments are not a JSON object with the fields it needs.",
  SANDBOX_PATH_INVALID: "A file path is absolute, or leaves the workspace (`..`, or a symlink out).",
  FILE_NOT_FOUND: "The file or directory does not exist.",
  FILE_OPERATION_FAILED: "The file system refused the operation (for example a directory where a file was expected).",
  EGRESS_PROXY_NOT_CONFIGURED: "No HTTP(S)_PROXY is set; the agent never connects directly, so the request was not sent.",
  EGRESS_PROXY_UNREACHABLE: "The egress proxy could not be reached.",
  EGRESS_TUNNEL_REFUSED: "The proxy refused the CONNECT tunnel without a reason code.",
  EGRESS_REQUEST_FAILED: "The request failed after the proxy let it through (TLS, reset, or timeout).",
} as const;

export type AgentReasonCode = keyof typeof AGENT_REASON_CODES;
