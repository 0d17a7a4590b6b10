/**
 * Prints the model proxy's added latency (gateway minus direct-to-upstream, p50/p99; time to first byte
 * for streams) and calls/s against a local upstream. The gateway (BENCH_WORKERS processes, default 1)
 * and the upstream each run in processes of their own; this process only generates load. Every
 * gateway call is authenticated, policy-checked, appended to its run's event chain, signed, stored
 * and metered. GATEWAY_CHAIN_COMMIT (async, the default, or sync) reaches the gateway; BENCH_LOOP=1 has it
 * print its event-loop delay and GC pauses every 2 s; BENCH_PUSH=0 has it read revocation and budget from
 * Redis on every call. Each line warms the gateway (BENCH_WARMUP_SECONDS, default 10), then measures
 * direct and gateway for BENCH_SECONDS each (default 8) in BENCH_WINDOWS alternating windows (default
 * 4). No assertions. Issue 5's targets: added p50 < 2 ms and p99 < 10 ms at 1 and 50
 * concurrent streams, >= 2,000 non-streaming calls/s.
 *
 * Lines (BENCH_ONLY=a,b picks some):
 *  plain-1, stream-1     one caller, instant upstream.
 *  plain-50, stream-50   50 callers back to back, instant upstream: the machine's saturation point.
 *                        calls/s is the throughput; latency there is queueing (50 in flight / calls/s).
 *  streams-50            50 streams open at any time, each paced as a model streams tokens (first chunk
 *                        at once, then 10 chunks 20 ms apart): the gateway's added latency to the first
 *                        byte and to the end, with 50 streams in flight. The 50 callers start spread
 *                        over one stream's length and wait 0-20 ms (at random) between their calls, as
 *                        agents of a fleet do; callers that all start at once and take equal times stay
 *                        in step for ever, and that is the next line.
 *  streams-50-burst      the same 50 paced streams started together: every ~220 ms, 50 calls arrive in
 *                        the same millisecond, and their first bytes queue behind each other.
 *  open-1000             non-streaming calls arriving at 1,000/s on up to 50 connections, instant
 *                        upstream; latency from each call's scheduled start (queueing included).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const only = process.env.BENCH_ONLY?.split(",");
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
// A cold gateway takes about 5 s of saturating load to reach its steady rate (JIT tiers, heap sizing,
// pools and caches filling): over the first 2 s it serves half as many calls, at four times the CPU per
// call. Each line is measured after 10 s of its own load, and prints the warm-up's rate beside it.
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10) * 1000;
const OPEN_RATE = 1000;
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 4);
/** How long the upstream's paced stream lasts (bench-upstream.ts: 10 chunks 20 ms apart). */
const PACED_STREAM_MS = 220;

function start<T>(script: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: T }> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches the gateway and upstream processes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", fileURLToPath(new URL(script, import.meta.url))], { stdio: ["ignore", "pipe", "inherit"], env });
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
  seconds: number;
}

/** The samples of several windows as one. */
function merged(samples: Sample[]): Sample {
  const seconds = samples.reduce((sum, sample) => sum + sample.seconds, 0);
  const totalMs = samples.flatMap((sample) => sample.totalMs);
  return { totalMs, ttfbMs: samples.flatMap((sample) => sample.ttfbMs), errors: samples.reduce((sum, sample) => sum + sample.errors, 0), perSecond: totalMs.length / seconds, seconds };
}

interface Target {
  url: string;
  path: string;
  headersOf: (worker: number) => Record<string, string>;
}

async function call(pool: Pool, target: Target, prefix: string, worker: number, body: string, sample: Sample, t0: number): Promise<void> {
  const res = await pool.request({ path: `${prefix}${target.path}`, method: "POST", headers: target.headersOf(worker), body });
  let first = 0;
  for await (const chunk of res.body) if (first === 0 && chunk.length > 0) first = performance.now();
  const t1 = performance.now();
  if (res.statusCode !== 200) sample.errors++;
  sample.totalMs.push(t1 - t0);
  sample.ttfbMs.push((first || t1) - t0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `concurrency` callers, each sending its next call when the last one ends. With `spreadMs`, caller i
 * starts i/concurrency of it late and pauses 0..spreadMs/10 (at random) after each call; its latency is
 * measured from each send.
 */
async function closedLoop(target: Target, body: string, concurrency: number, durationMs: number, spreadMs = 0): Promise<Sample> {
  const origin = new URL(target.url);
  const pool = new Pool(origin.origin, { connections: concurrency, pipelining: 1 });
  const prefix = origin.pathname.replace(/\/$/, "");
  const sample: Sample = { totalMs: [], ttfbMs: [], errors: 0, perSecond: 0, seconds: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      if (spreadMs > 0) await sleep((worker * spreadMs) / concurrency);
      while (performance.now() < deadline) {
        await call(pool, target, prefix, worker, body, sample, performance.now());
        if (spreadMs > 0) await sleep(Math.random() * (spreadMs / 10));
      }
    }),
  );
  sample.seconds = (performance.now() - started) / 1000;
  sample.perSecond = sample.totalMs.length / sample.seconds;
  await pool.close();
  return sample;
}

/** Calls started on a fixed schedule (`rate` per second) whatever the answers do, on up to `connections`. */
async function openLoop(target: Target, body: string, rate: number, connections: number, durationMs: number): Promise<Sample> {
  const origin = new URL(target.url);
  const pool = new Pool(origin.origin, { connections, pipelining: 1 });
  const prefix = origin.pathname.replace(/\/$/, "");
  const sample: Sample = { totalMs: [], ttfbMs: [], errors: 0, perSecond: 0, seconds: 0 };
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < (rate * durationMs) / 1000; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // Measured from when the call was due, so a call delayed by a busy caller counts its wait.
    calls.push(call(pool, target, prefix, i % connections, body, sample, due));
  }
  await Promise.all(calls);
  sample.seconds = (performance.now() - started) / 1000;
  sample.perSecond = sample.totalMs.length / sample.seconds;
  await pool.close();
  return sample;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(2).padStart(6)} ms`;

const chatBody = (model: string, stream: boolean) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "Say hello." }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });

const upstream = await start<{ url: string }>("./bench-upstream.ts", process.env);
const gateway = await start<{ url: string; tokens: string[] }>("./bench-server.ts", { ...process.env, BENCH_UPSTREAM_URL: upstream.ready.url });

interface Line {
  name: string;
  label: string;
  stream: boolean;
  /** The upstream model: gpt-bench answers at once, gpt-bench-paced streams like a model. */
  model: string;
  run: (target: Target, body: string, durationMs: number) => Promise<Sample>;
}

const LINES: Line[] = [
  { name: "plain-1", label: "non-streaming, 1 caller", stream: false, model: "gpt-bench", run: (t, b, d) => closedLoop(t, b, 1, d) },
  { name: "plain-50", label: "non-streaming, 50 callers (saturated)", stream: false, model: "gpt-bench", run: (t, b, d) => closedLoop(t, b, 50, d) },
  { name: "open-1000", label: `non-streaming, ${OPEN_RATE}/s on 50 conns`, stream: false, model: "gpt-bench", run: (t, b, d) => openLoop(t, b, OPEN_RATE, 50, d) },
  { name: "stream-1", label: "stream TTFB, 1 caller", stream: true, model: "gpt-bench", run: (t, b, d) => closedLoop(t, b, 1, d) },
  { name: "stream-50", label: "stream TTFB, 50 callers (saturated)", stream: true, model: "gpt-bench", run: (t, b, d) => closedLoop(t, b, 50, d) },
  { name: "streams-50", label: "stream TTFB, 50 paced streams open", stream: true, model: "gpt-bench-paced", run: (t, b, d) => closedLoop(t, b, 50, d, PACED_STREAM_MS) },
  { name: "streams-50-burst", label: "stream TTFB, 50 paced streams in step", stream: true, model: "gpt-bench-paced", run: (t, b, d) => closedLoop(t, b, 50, d) },
];

try {
  console.log(
    `gateway model proxy (${process.env.BENCH_WORKERS ?? 1} worker process(es), GATEWAY_CHAIN_COMMIT=${process.env.GATEWAY_CHAIN_COMMIT ?? "async"}) vs direct upstream, ` +
      `${DURATION_MS / 1000}s per line after ${WARMUP_MS / 1000}s warm-up, node ${process.version}`,
  );
  const { tokens } = gateway.ready;
  const via: Target = { url: gateway.ready.url, path: "/v1/chat/completions", headersOf: (worker) => ({ "content-type": "application/json", "x-cst": tokens[worker % tokens.length]! }) };
  const direct: Target = { url: upstream.ready.url, path: "/chat/completions", headersOf: () => ({ "content-type": "application/json", authorization: "Bearer sk-bench" }) };
  for (const line of LINES) {
    if (only && !only.includes(line.name)) continue;
    const body = chatBody(`openai/${line.model}`, line.stream);
    const warm = await line.run(via, body, WARMUP_MS);
    // Baseline and gateway in alternating windows, so a drift of the machine's speed (it moves by up to
    // 2x within minutes) falls on both; the gateway stays warm, idle for one window at a time.
    const windows: { base: Sample[]; measured: Sample[] } = { base: [], measured: [] };
    for (let i = 0; i < WINDOWS; i++) {
      windows.base.push(await line.run(direct, chatBody(line.model, line.stream), DURATION_MS / WINDOWS));
      windows.measured.push(await line.run(via, body, DURATION_MS / WINDOWS));
    }
    const base = merged(windows.base);
    const measured = merged(windows.measured);
    const metric = line.stream ? measured.ttfbMs : measured.totalMs;
    const baseline = line.stream ? base.ttfbMs : base.totalMs;
    const fullStream = line.stream ? `   to end: added p50 ${ms(percentile(measured.totalMs, 50) - percentile(base.totalMs, 50))}` : "";
    console.log(
      `${line.label.padEnd(38)} added p50 ${ms(percentile(metric, 50) - percentile(baseline, 50))}  p99 ${ms(percentile(metric, 99) - percentile(baseline, 99))}` +
        `   gateway p50 ${ms(percentile(metric, 50))} p99 ${ms(percentile(metric, 99))}` +
        `   ${Math.round(measured.perSecond).toString().padStart(6)} calls/s (direct ${Math.round(base.perSecond)}, warm-up ${Math.round(warm.perSecond)})${fullStream}` +
        `${measured.errors ? `   (${measured.errors} errors)` : ""}`,
    );
  }
} finally {
  gateway.child.kill("SIGTERM");
  upstream.child.kill("SIGTERM");
}
