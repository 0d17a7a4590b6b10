/**
 * Prints requests/s and p50/p99 latency for the hot routes at 50 concurrent connections, with
 * 100,000 agents in the table. Targets (issue 3): health p99 < 10 ms, list page p99 < 25 ms. No assertions.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const server = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./bench-server.ts", import.meta.url))], {
  stdio: ["ignore", "pipe", "inherit"],
  env: process.env,
});
const ready = await new Promise<{ url: string; token: string; agentId: string; agents: number }>((resolve, reject) => {
  server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  createInterface({ input: server.stdout }).once("line", (line) => resolve(JSON.parse(line)));
});

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
/** Each route is driven this long before it is measured, so the figures are of a warm service (JIT, pool, plans). */
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const headers = { authorization: `Bearer ${ready.token}`, "content-type": "application/json" };

async function measure(label: string, options: autocannon.Options): Promise<void> {
  if (WARMUP_S > 0) await autocannon({ connections: 50, duration: WARMUP_S, headers, ...options });
  const result = await autocannon({ connections: 50, duration: DURATION_S, headers, ...options });
  const errors = result.non2xx + result.errors;
  console.log(
    `${label.padEnd(40)} ${Math.round(result.requests.average).toString().padStart(6)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms${errors ? `   (${errors} errors)` : ""}`,
  );
}

console.log(`control plane, ${ready.agents.toLocaleString("en-US")} agents, 50 connections, ${DURATION_S}s each after ${WARMUP_S}s warm-up, node ${process.version}`);
await measure("GET /v1/agents/:id/health", { url: `${ready.url}/v1/agents/${ready.agentId}/health` });
await measure("GET /v1/agents?limit=50 (first page)", { url: `${ready.url}/v1/agents?limit=50` });
// A cursor halfway down the table: keyset paging costs the same at any depth.
await measure("GET /v1/agents?limit=50&cursor=… (deep)", { url: `${ready.url}/v1/agents?limit=50&cursor=${Buffer.from(ready.agentId).toString("base64url")}` });
await measure("POST /v1/agents", {
  url: `${ready.url}/v1/agents`,
  method: "POST",
  body: JSON.stringify({ template_id: "tpl_reference_small", name: "bench-agent" }),
});
server.kill("SIGTERM");
