/**
 * Wires the agent from its environment and runs it once: config, workspace, gateway clients, loop.
 * Every path ends with exactly one `result` line on stdout.
 */
import { loadConfig, type Env } from "./agent.config.js";
import { EXIT, runAgent } from "./agent.loop.js";
import { createModelClient } from "./agent.model-client.js";
import { lineEmitter } from "./agent.output.js";
import { createToolbox } from "./agent.tools.js";
import { openWorkspace } from "./agent.workspace.js";

export interface AgentIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export async function main(env: Env, cwd: string, io: AgentIo): Promise<number> {
  const emit = lineEmitter(io.stdout);
  const log = (message: string): void => io.stderr(`reference-agent: ${message}\n`);
  const loaded = loadConfig(env, cwd);
  if (!loaded.ok) {
    log(`configuration: ${loaded.detail}`);
    emit({ type: "result", status: "failed", summary: loaded.detail, reason_code: "AGENT_CONFIG_INVALID" });
    return EXIT.crashed;
  }
  const { config } = loaded;
  try {
    const workspace = await openWorkspace(config.workspace);
    return await runAgent(
      { task: config.task, model: config.model, phase: config.phase, maxSteps: config.maxSteps },
      {
        model: createModelClient({ baseUrl: config.modelBaseUrl, token: config.token, phase: config.phase, log }),
        tools: createToolbox({ workspace, egress: { proxies: config.proxies } }),
        emit,
      },
    );
  } catch (err) {
    log(`crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    emit({ type: "result", status: "failed", summary: "the agent crashed", reason_code: "INTERNAL_ERROR" });
    return EXIT.crashed;
  }
}
