#!/usr/bin/env node
/**
 * `pnpm demo`: the main journey on the platform at CLAWEA_URL (default http://127.0.0.1:8080); if
 * none is running there, it starts one (`pnpm start`) for its own duration. Files go to
 * `.clawea/demo/` (CLAWEA_DEMO_OUT).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runJourney } from "./journey.js";
import { ensurePlatform } from "./platform.js";
import { startTargetServer } from "./target-server.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);

const url = process.env.CLAWEA_URL || `http://127.0.0.1:${process.env.PORT || 8080}`;
const devDir = resolve(process.env.CLAWEA_DEV_DIR || join(ROOT, ".clawea"));
const outDir = resolve(process.env.CLAWEA_DEMO_OUT || join(devDir, "demo"));
// A real provider when one is configured: CLAWEA_DEMO_MODEL=openai/gpt-4.1-mini CLAWEA_DEMO_PROVIDER_KEY=sk-…
const realModel = process.env.CLAWEA_DEMO_MODEL && process.env.CLAWEA_DEMO_PROVIDER_KEY ? { model: process.env.CLAWEA_DEMO_MODEL, providerKey: process.env.CLAWEA_DEMO_PROVIDER_KEY } : {};

say(`platform at ${url}; model ${realModel.model ?? "scripted/scripted-1 (local, deterministic)"}`);
const platform = await ensurePlatform({ root: ROOT, url, devDir, onLine: (line) => say(line) }).catch((error: unknown) => {
  process.stderr.write(`[demo] ${(error as Error).message}\n`);
  process.exit(1);
});
say(platform.started ? "started the platform for this demo (stopped at the end)" : "using the platform that is already running");
const target = await startTargetServer();
say(`the allowed host (a local status service) listens at ${target.url}`);
let code = 0;
try {
  const result = await runJourney({ baseUrl: url, bootstrapKey: platform.bootstrapKey, target, outDir, cli: [process.execPath, "--import", "tsx", join(ROOT, "packages/cli/src/main.ts")], say, ...realModel });
  say("");
  say(`VERIFIED ${result.verdict}: run ${result.runId}`);
  for (const [what, path] of Object.entries(result.files)) say(`  ${what.padEnd(12)} ${path}`);
  if (result.verdict !== "PASS") code = 1;
} catch (error) {
  process.stderr.write(`[demo] FAILED: ${(error as Error).stack ?? String(error)}\n`);
  if (platform.started) process.stderr.write(`[demo] platform output (last lines):\n${platform.output().slice(-6000)}\n`);
  code = 1;
} finally {
  await target.close();
  if (platform.started) {
    say("stopping the platform");
    await platform.stop();
  }
}
process.exit(code);
