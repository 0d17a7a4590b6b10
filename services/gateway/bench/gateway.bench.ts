/**
 * Prints the model proxy's added latency (p50/p99 of gateway minus direct-to-upstream; time to first
 * byte for streams) and calls/s against an instant local upstream, at 1 and 50 concurrent calls. The
 * gateway and the upstream each run in a child process; this process only generates load. Every
 * gateway call is authenticated, policy-checked, signed, stored and metered. Targets (issue 5): added
 * p50 < 2 ms, p99 < 10 ms, >= 2,000 non-streaming calls/s. No assertions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const WARMUP_MS = 1000;

function start<T>(script: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL(script, import.meta.url))], { stdio: ["ignore", "pipe", "inherit"], env });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, ready: JSON.parse(line) as T }));
  });
}

interface Sample {
  totalMs: number[];
  ttfbMs: number[];
  errors: number;
  perSecond: number;
}

async function load(baseUrl: string, path: string, headers: Record<string, string>, body: string, concurrency: number, durationMs: number): Promise<Sample> {
  const origin = new URL(baseUrl);
  const pool = new Pool(origin.origin, { connections: concurrency, pipelining: 1 });
  const prefix = origin.pathname.replace(/\/$/, "");
  const sample: Sample = { totalMs: [], ttfbMs: [], errors: 0, perSecond: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const res = await pool.request({ path: `${prefix}${path}`, method: "POST", headers, body });
        let first = 0;
        for await (const chunk of res.body) if (first === 0 && chunk.length > 0) first = performance.now();
        const t1 = performance.now();
        if (res.statusCode !== 200) sample.errors++;
        sample.totalMs.push(t1 - t0);
        sample.ttfbMs.push((first || t1) - t0);
      }
    }),
  );
  sample.perSecond = sample.totalMs.length / ((performance.now() - started) / 1000);
  await pool.close();
  return sample;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(2).padStart(6)} ms`;

const upstream = await start<{ url: string }>("./bench-upstream.ts", process.env);
const gateway = await start<{ url: string; token: string }>("./bench-server.ts", { ...process.env, BENCH_UPSTREAM_URL: upstream.ready.url });

try {
  console.log(`gateway model proxy vs direct upstream, ${DURATION_MS / 1000}s per line after ${WARMUP_MS / 1000}s warm-up, node ${process.version}`);
  const gatewayHeaders = { "content-type": "application/json", "x-cst": gateway.ready.token };
  const directHeaders = { "content-type": "application/json", authorization: "Bearer sk-bench" };
  for (const stream of [false, true]) {
    const body = JSON.stringify({ model: "openai/gpt-bench", messages: [{ role: "user", content: "Say hello." }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
    const directBody = body.replace("openai/gpt-bench", "gpt-bench");
    for (const concurrency of [1, 50]) {
      await load(gateway.ready.url, "/v1/chat/completions", gatewayHeaders, body, concurrency, WARMUP_MS);
      const direct = await load(upstream.ready.url, "/chat/completions", directHeaders, directBody, concurrency, DURATION_MS);
      const via = await load(gateway.ready.url, "/v1/chat/completions", gatewayHeaders, body, concurrency, DURATION_MS);
      const metric = stream ? via.ttfbMs : via.totalMs;
      const base = stream ? direct.ttfbMs : direct.totalMs;
      const label = `${stream ? "stream (TTFB)" : "non-streaming"}, ${String(concurrency).padStart(2)} concurrent`;
      console.log(
        `${label.padEnd(30)} added p50 ${ms(percentile(metric, 50) - percentile(base, 50))}  p99 ${ms(percentile(metric, 99) - percentile(base, 99))}` +
          `   gateway p50 ${ms(percentile(metric, 50))} p99 ${ms(percentile(metric, 99))}` +
          `   ${Math.round(via.perSecond).toString().padStart(6)} calls/s (direct ${Math.round(direct.perSecond)})` +
          `${stream ? `   full stream p50 ${ms(percentile(via.totalMs, 50))}` : ""}${via.errors ? `   (${via.errors} errors)` : ""}`,
      );
    }
  }
} finally {
  gateway.child.kill("SIGTERM");
  upstream.child.kill("SIGTERM");
}
