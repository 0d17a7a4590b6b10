// Test-only: the agent's surroundings on loopback, honouring the gateway's real contracts. A fake
// model gateway (Bearer CST, receipt ids, injectable refusals) in front of the scripted model; a fake
// egress proxy (absolute-form + CONNECT, Basic run:<cst>, plan-phase capture, apply-phase approval);
// http and https destinations; and the agent itself run from source as a child process.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createRequire } from "node:module";
import { connect, type AddressInfo, type Socket } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CST = "cst-test.token.value";
export const TLS_CERT_PATH = fileURLToPath(new URL("../../test/fixtures/tls-cert.pem", import.meta.url));
const TLS_KEY_PATH = fileURLToPath(new URL("../../test/fixtures/tls-key.pem", import.meta.url));
const AGENT_SOURCE = fileURLToPath(new URL("../agent.ts", import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every socket it accepted, tunnels and keep-alive connections included. */
function closer(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The gateway's denial body (`services/gateway/src/http/errors.ts`). */
export function denial(code: string, detail: string, retryable: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "error", error: { type: "clawea_error", code, message: `${code}: ${detail}` }, reason_code: code, detail, retryable, request_id: "req_test", ...extra };
}

export interface FakeGateway {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/**
 * The model side of the gateway: checks the Bearer CST, forwards to the scripted model, stamps a
 * receipt id derived from the request. `refuse(i)` may answer the i-th call (0-based) itself.
 */
export async function startFakeGateway(upstreamUrl: string, refuse: (index: number) => { status: number; body: unknown } | undefined = () => undefined): Promise<FakeGateway> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const index = requests.length;
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${CST}`) return sendJson(res, 400, denial("CST_MALFORMED", "no run token", false));
      const refusal = refuse(index);
      const receiptId = `gwr_${createHash("sha256").update(body).digest("hex").slice(0, 32)}`;
      if (refusal !== undefined) return sendJson(res, refusal.status, refusal.body, { "x-clawea-receipt-id": receiptId });
      const upstream = request(`${upstreamUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" } }, (answer) => {
        void readBody(answer).then((text) => {
          res.writeHead(answer.statusCode ?? 502, { "content-type": "application/json", "x-clawea-receipt-id": receiptId });
          res.end(text);
        });
      });
      upstream.end(body);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/v1`, requests, close: closer(server) };
}

export interface Destinations {
  /** Where the proxy sends `http://api.example.com` and `https://api.example.com` in the apply phase. */
  httpPort: number;
  httpsPort: number;
  requests: (Recorded & { scheme: "http" | "https" })[];
  close(): Promise<void>;
}

export async function startDestinations(): Promise<Destinations> {
  const requests: Destinations["requests"] = [];
  const handler = (scheme: "http" | "https") => (req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((body) => {
      requests.push({ scheme, method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      sendJson(res, 200, { received: `${req.method} ${req.url}`, scheme });
    });
  };
  const plain = createServer(handler("http"));
  const tls = createHttpsServer({ cert: readFileSync(TLS_CERT_PATH), key: readFileSync(TLS_KEY_PATH) }, handler("https"));
  const httpPort = await listen(plain);
  const httpsPort = await listen(tls);
  const closePlain = closer(plain);
  const closeTls = closer(tls);
  return { httpPort, httpsPort, requests, close: async () => void (await Promise.all([closePlain(), closeTls()])) };
}

export interface ProxyAttempt {
  method: string;
  target: string;
  authorization: string | undefined;
  reason_code: string | null;
}

export interface FakeProxy {
  /** As the data plane hands it over: `http://run:<cst>@host:port`. */
  url: string;
  attempts: ProxyAttempt[];
  close(): Promise<void>;
}

export interface FakeProxyOptions {
  phase: "plan" | "apply";
  /** Hosts inside the policy's egress allowlist. */
  allowed: readonly string[];
  /** Hosts a human approved (apply phase). */
  approved: readonly string[];
  destinations: Destinations;
}

/** The egress proxy's decision for one attempt, in the order the gateway makes it. */
function decide(options: FakeProxyOptions, authorization: string | undefined, scheme: string, host: string, port: number, method: string) {
  if (authorization !== `Basic ${Buffer.from(`run:${CST}`).toString("base64")}`) return { status: 407, body: denial("EGRESS_PROXY_AUTH_REQUIRED", "send the CST", false) };
  if (!options.allowed.includes(host)) return { status: 400, body: denial("POLICY_EGRESS_DENIED", `${host} is outside the egress allowlist`, false) };
  if (options.phase === "plan") {
    const intended = { kind: "network_egress", target: `${scheme}://${host}:${port}`, method };
    return { status: 428, body: denial("PLAN_PHASE_SIDE_EFFECT_CAPTURED", "captured for approval", true, { intended_side_effect: intended }) };
  }
  if (!options.approved.includes(host)) return { status: 428, body: denial("SIDE_EFFECT_NOT_APPROVED", `${host} was not approved`, false) };
  return null;
}

export async function startFakeProxy(options: FakeProxyOptions): Promise<FakeProxy> {
  const attempts: ProxyAttempt[] = [];
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "/", "http://invalid");
    if (!(req.url ?? "").startsWith("http://")) return sendJson(res, 400, denial("EGRESS_REQUEST_INVALID", "not a proxy request", false));
    const decision = decide(options, req.headers["proxy-authorization"], "http", target.hostname, Number(target.port || 80), req.method ?? "");
    attempts.push({ method: req.method ?? "", target: target.href, authorization: req.headers["proxy-authorization"], reason_code: decision ? (decision.body["reason_code"] as string) : null });
    if (decision) return sendJson(res, decision.status, decision.body, { "x-clawea-reason-code": decision.body["reason_code"] as string });
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = request({ host: "127.0.0.1", port: options.destinations.httpPort, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket) => {
    const [host = "", port = "443"] = (req.url ?? "").split(":");
    const decision = decide(options, req.headers["proxy-authorization"], "https", host, Number(port), "CONNECT");
    attempts.push({ method: "CONNECT", target: req.url ?? "", authorization: req.headers["proxy-authorization"], reason_code: decision ? (decision.body["reason_code"] as string) : null });
    if (decision) {
      const text = JSON.stringify(decision.body);
      client.end(
        `HTTP/1.1 ${decision.status} Denied\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
          `x-clawea-reason-code: ${decision.body["reason_code"] as string}\r\nconnection: close\r\n\r\n${text}`,
      );
      return;
    }
    const upstream = connect(options.destinations.httpsPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  const port = await listen(server);
  return { url: `http://run:${encodeURIComponent(CST)}@127.0.0.1:${port}`, attempts, close: closer(server) };
}

export interface AgentRun {
  code: number | null;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

/** Runs `src/agent.ts` under tsx in `cwd`, with exactly `env` (plus PATH). Every stdout line must be JSON. */
export function runAgentProcess(cwd: string, env: Record<string, string>): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, AGENT_SOURCE], { cwd, env: { PATH: process.env["PATH"] ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        const lines = stdout
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        resolve({ code, lines, stdout, stderr });
      } catch (err) {
        reject(new Error(`stdout is not JSON lines (${String(err)}):\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}
