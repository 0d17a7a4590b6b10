/**
 * @clawea/reference-agent: where the built agent lives (for the data plane to run in a sandbox),
 * the scripted model it is tested and demoed against, and the shapes of the agent's output lines.
 */
import { fileURLToPath } from "node:url";

/** Absolute path of `dist/agent.js`: run it with `node AGENT_ENTRY`, cwd = the workspace. */
export const AGENT_ENTRY: string = fileURLToPath(new URL("./agent.js", import.meta.url));
/** Absolute path of `dist/scripted-model.main.js` (`--port N [--host H] [--script file]`). */
export const SCRIPTED_MODEL_ENTRY: string = fileURLToPath(new URL("./scripted-model.main.js", import.meta.url));

export { AGENT_REASON_CODES, type AgentReasonCode } from "./agent/agent.codes.js";
export type { ModelCallLine, OutputLine, ResultLine, ToolCallLine, ToolOutcome } from "./agent/agent.output.js";
export { parseDirectives, type Directive } from "./scripted-model/scripted-model.directives.js";
export type { ScriptedReply } from "./scripted-model/scripted-model.reply.js";
export { startScriptedModel, type ScriptedModel, type ScriptedModelOptions } from "./scripted-model/scripted-model.server.js";
