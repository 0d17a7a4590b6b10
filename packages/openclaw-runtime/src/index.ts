/**
 * @clawea/openclaw-runtime: OpenClaw and the Node 24 it runs on (npm registry packages, installed
 * once per machine by `pnpm install`), its config for a run behind the clawea gateway, and the
 * launcher the data plane runs in a sandbox.
 */
export { NODE24_BIN, NODE24_MINIMUM, NODE24_PACKAGES, OPENCLAW_ENTRY, OPENCLAW_LAUNCHER, OPENCLAW_VERSION, PENDING_LIFECYCLE_MARKS, retirePendingLifecycle, runtimeProblem, runtimeVersions } from "./runtime-paths.js";
export {
  ALWAYS_DENIED_TOOLS,
  EXEC_MODES,
  FILE_WRITE_TOOLS,
  isToolsProfile,
  OPENCLAW_PROVIDER_ID,
  openclawConfig,
  renderOpenclawConfig,
  toolRulesFor,
  TOOLS_PROFILES,
  type ExecMode,
  type OpenclawConfig,
  type OpenclawConfigOptions,
  type SideEffectPermissions,
  type ToolsProfile,
} from "./openclaw-config.js";
export type { LaunchReport, LaunchRequest, LaunchStep, LaunchToolCall, LaunchToolResult } from "./launch-protocol.js";
