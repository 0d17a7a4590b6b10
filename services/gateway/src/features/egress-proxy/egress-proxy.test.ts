// The egress proxy on real loopback sockets: a plain HTTP target, a TCP echo behind CONNECT, real PostgreSQL and Redis.
import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, connect, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopeFrom, type ApprovedScope } from "@clawea/policy";
import { revokeCst } from "@clawea/runs";
import { defaultPolicy, startTestGateway, type TestAgent, type TestGateway } from "../../gateway.test-support.js";
import { listEgressRecords, startEgressProxy, type EgressProxy } from "./index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

let gw: TestGateway;
let proxy: EgressProxy;
let target: Server;
let echo: TcpServer;
let targetPort: number;
let echoPort: number;
let closedPort: number;
/** Allows http(s) to any host and port, naming none: private addresses stay out of reach. */
let wide: TestAgent;
/** Allows https to loopback (tunnels) and names a host that resolves to loopback. */
let tunnels: TestAgent;
const seen: Seen[] = [];
const approved = new Map<string, ApprovedScope>();
const fakeDns: Record<string, string[]> = { "named.example.test": ["127.0.0.1"], "rebind.example.test": ["127.0.0.1"] };

function policyAllowing(resources: string[]): Record<string, unknown> {
  const policy = defaultPolicy();
  return { ...policy, policy_id: `egress-${resources.length}`, statements: [{ sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources }] };
}

async function listen(server: Server | TcpServer): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  gw = await startTestGateway();
  target = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders, body });
      if (req.url === "/reset") {
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { "content-type": "text/plain", "x-upstream": "yes", "proxy-authenticate": "Basic" }).end(`hello ${req.method} ${req.url}`);
    });
  });
  echo = createTcpServer((socket) => {
    socket.on("error", () => undefined);
    socket.pipe(socket);
  });
  targetPort = await listen(target);
  echoPort = await listen(echo);
  const spare = createTcpServer();
  closedPort = await listen(spare);
  spare.close();
  wide = await gw.addAgent(policyAllowing(["http://*:*", "https://*:*"]));
  tunnels = await gw.addAgent(policyAllowing(["https://127.0.0.1:*", "http://named.example.test:*"]));
  proxy = await startEgressProxy({
    authenticator: gw.authenticator,
    db: gw.database.db,
    now: () => new Date(),
    connectTimeoutMs: 300,
    approvedScopeOf: async (run) => approved.get(run.runId) ?? null,
    lookup: async (host) => {
      const addresses = fakeDns[host];
      if (addresses) return addresses;
      if (host === "localhost") return ["127.0.0.1"];
      if (host === "slow.example.test") return new Promise<string[]>(() => undefined);
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    },
  });
});

afterAll(async () => {
  await proxy?.close();
  target?.close();
  echo?.close();
  await gw?.close();
});

const bearer = (token: string) => `Bearer ${token}`;

/** An apply-phase CST pinned to a scope of exactly these network destinations, with the scope stored for the run. */
async function applyToken(runId: string, targets: string[], agent?: TestAgent): Promise<string> {
  const scope = scopeFrom(targets.map((t) => ({ kind: "network_egress" as const, target: t })));
  approved.set(runId, scope);
  return gw.token({ runId, phase: "apply", approvedScopeHash: scope.scope_hash_b64u, ...(agent ? { agent } : {}) });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

function viaProxy(url: string, options: { auth?: string; method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: proxy.port,
        method: options.method ?? "GET",
        path: url,
        agent: false,
        headers: { ...(options.auth ? { "proxy-authorization": options.auth } : {}), ...options.headers },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => {
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(body) as Record<string, unknown>;
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

interface TunnelAnswer {
  status: number;
  head: string;
  json: Record<string, unknown>;
  socket: Socket;
}

/** A raw CONNECT, so denials are read exactly as they go over the wire. */
async function tunnelVia(authority: string, auth?: string): Promise<TunnelAnswer> {
  const socket = connect(proxy.port, "127.0.0.1");
  await once(socket, "connect");
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ""}\r\n`);
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const split = () => {
      const end = buffer.indexOf("\r\n\r\n");
      return end === -1 ? null : { head: buffer.subarray(0, end).toString(), rest: buffer.subarray(end + 4).toString() };
    };
    const statusOf = (head: string) => Number(head.split(" ")[1]);
    let tunnelled = false;
    socket.on("data", function onData(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      const parts = split();
      if (parts && statusOf(parts.head) === 200) {
        tunnelled = true;
        socket.off("data", onData);
        resolve({ status: 200, head: parts.head, json: {}, socket });
      }
    });
    socket.on("end", () => {
      if (tunnelled) return;
      const parts = split();
      if (!parts) return reject(new Error(`no answer to CONNECT: ${buffer.toString()}`));
      resolve({ status: statusOf(parts.head), head: parts.head, json: JSON.parse(parts.rest) as Record<string, unknown>, socket });
    });
    socket.on("error", reject);
  });
}

async function echoed(socket: Socket, text: string): Promise<string> {
  socket.write(text);
  const [chunk] = (await once(socket, "data")) as [Buffer];
  return chunk.toString();
}

const records = (runId: string, agent: TestAgent = gw.agent) => listEgressRecords(gw.database.db, agent.tenantId, runId);

function seenSince(count: number): Seen[] {
  return seen.slice(count);
}

describe("plan phase", () => {
  it("captures allowed destinations as intended side effects, performs nothing, and records them", async () => {
    const token = await gw.token({ runId: "run_plan", phase: "plan" });
    const before = seen.length;
    const get = await viaProxy(`http://127.0.0.1:${targetPort}/items`, { auth: bearer(token) });
    expect(get.status).toBe(428);
    expect(get.headers["x-clawea-reason-code"]).toBe("PLAN_PHASE_SIDE_EFFECT_CAPTURED");
    expect(get.json).toMatchObject({
      reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED",
      intended_side_effect: { kind: "network_egress", target: `http://127.0.0.1:${targetPort}`, summary: "GET", risk_flags: ["ip_literal", "plaintext_http"] },
    });
    const post = await viaProxy(`http://127.0.0.1:${targetPort}/items`, { auth: bearer(token), method: "POST", body: "{}" });
    expect(post.json).toMatchObject({ intended_side_effect: { summary: "POST", risk_flags: ["external_write", "ip_literal", "plaintext_http"] } });
    const tunnel = await tunnelVia("api.example.test:443", bearer(token));
    expect(tunnel.status).toBe(428);
    expect(tunnel.json).toMatchObject({
      reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED",
      intended_side_effect: { kind: "network_egress", target: "https://api.example.test:443", summary: "CONNECT", risk_flags: [] },
    });
    expect(seenSince(before)).toEqual([]);

    const rows = await records("run_plan");
    expect(rows.map((r) => [r.phase, r.scheme, r.host, r.port, r.method, r.decision, r.reasonCode])).toEqual([
      ["plan", "http", "127.0.0.1", targetPort, "GET", "deny", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
      ["plan", "http", "127.0.0.1", targetPort, "POST", "deny", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
      ["plan", "https", "api.example.test", 443, "CONNECT", "deny", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
    ]);
    expect(rows[0]!.sideEffect).toEqual(get.json["intended_side_effect"]);
    expect(rows[2]!.sideEffect).toEqual(tunnel.json["intended_side_effect"]);
    expect(rows.every((r) => r.tenantId === gw.agent.tenantId && r.agentId === gw.agent.agentId)).toBe(true);
  });

  it("denies what the policy forbids, host or port or scheme, with the policy's code and nothing captured", async () => {
    const token = await gw.token({ runId: "run_denied", phase: "plan" });
    const host = await viaProxy("http://example.org/", { auth: bearer(token) });
    const port = await tunnelVia("api.example.test:8443", bearer(token));
    const scheme = await tunnelVia(`127.0.0.1:${echoPort}`, bearer(token));
    for (const answer of [host, port, scheme]) {
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ reason_code: "POLICY_EGRESS_DENIED" });
      expect(answer.json).not.toHaveProperty("intended_side_effect");
    }
    const rows = await records("run_denied");
    expect(rows.map((r) => [r.scheme, r.host, r.port, r.decision, r.reasonCode, r.sideEffect])).toEqual([
      ["http", "example.org", 80, "deny", "POLICY_EGRESS_DENIED", null],
      ["https", "api.example.test", 8443, "deny", "POLICY_EGRESS_DENIED", null],
      ["https", "127.0.0.1", echoPort, "deny", "POLICY_EGRESS_DENIED", null],
    ]);
  });
});

describe("apply phase", () => {
  it("forwards exactly the approved destination, without the CST or hop-by-hop headers, and denies the rest", async () => {
    const approvedTarget = `http://127.0.0.1:${targetPort}`;
    const token = await applyToken("run_apply", [approvedTarget]);
    const before = seen.length;
    const answer = await viaProxy(`${approvedTarget}/items?x=1`, {
      auth: `Basic ${Buffer.from(`run:${token}`).toString("base64")}`,
      method: "POST",
      body: "payload",
      headers: { host: "smuggled.test", connection: "x-secret", "x-secret": "hop", "x-keep": "end-to-end", "proxy-connection": "keep-alive" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toBe("hello POST /items?x=1");
    expect(answer.headers["x-upstream"]).toBe("yes");
    expect(answer.headers["proxy-authenticate"]).toBeUndefined();
    const [got] = seenSince(before);
    expect(got).toMatchObject({ method: "POST", url: "/items?x=1", body: "payload" });
    expect(got!.headers).toMatchObject({ host: `127.0.0.1:${targetPort}`, "x-keep": "end-to-end" });
    const names = got!.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    for (const stripped of ["proxy-authorization", "x-secret", "proxy-connection"]) expect(names).not.toContain(stripped);
    expect(JSON.stringify(got!.rawHeaders)).not.toContain(token);

    const otherPort = await viaProxy(`http://127.0.0.1:${echoPort}/`, { auth: bearer(token) });
    expect(otherPort.status).toBe(428);
    expect(otherPort.json).toMatchObject({ reason_code: "SIDE_EFFECT_NOT_APPROVED" });
    expect(seenSince(before)).toHaveLength(1);

    const rows = await records("run_apply");
    expect(rows.map((r) => [r.phase, r.port, r.method, r.decision, r.reasonCode, r.sideEffect])).toEqual([
      ["apply", targetPort, "POST", "allow", null, { kind: "network_egress", target: approvedTarget }],
      ["apply", echoPort, "GET", "deny", "SIDE_EFFECT_NOT_APPROVED", null],
    ]);
  });

  it("opens an approved CONNECT tunnel both ways, and refuses an unapproved one", async () => {
    const token = await applyToken("run_tunnel", [`https://127.0.0.1:${echoPort}`], tunnels);
    const tunnel = await tunnelVia(`127.0.0.1:${echoPort}`, bearer(token));
    expect(tunnel.status).toBe(200);
    expect(await echoed(tunnel.socket, "ping")).toBe("ping");
    expect(await echoed(tunnel.socket, "pong")).toBe("pong");
    tunnel.socket.end();
    const other = await tunnelVia(`127.0.0.1:${targetPort}`, bearer(token));
    expect(other.status).toBe(428);
    expect(other.json).toMatchObject({ reason_code: "SIDE_EFFECT_NOT_APPROVED" });
    const rows = await records("run_tunnel", tunnels);
    expect(rows.map((r) => [r.scheme, r.port, r.method, r.decision, r.reasonCode, r.sideEffect])).toEqual([
      ["https", echoPort, "CONNECT", "allow", null, { kind: "network_egress", target: `https://127.0.0.1:${echoPort}` }],
      ["https", targetPort, "CONNECT", "deny", "SIDE_EFFECT_NOT_APPROVED", null],
    ]);
  });

  it("denies when no approved scope is stored, or the stored one is not the scope the CST pins", async () => {
    const pinned = scopeFrom([{ kind: "network_egress", target: `http://127.0.0.1:${targetPort}` }]);
    const unknown = await gw.token({ runId: "run_no_scope", phase: "apply", approvedScopeHash: pinned.scope_hash_b64u });
    const none = await viaProxy(`http://127.0.0.1:${targetPort}/`, { auth: bearer(unknown) });
    expect([none.status, none.json["reason_code"]]).toEqual([428, "APPROVAL_REQUIRED"]);

    approved.set("run_other_scope", scopeFrom([{ kind: "network_egress", target: "https://api.example.test:443" }]));
    const mismatched = await gw.token({ runId: "run_other_scope", phase: "apply", approvedScopeHash: pinned.scope_hash_b64u });
    const other = await viaProxy(`http://127.0.0.1:${targetPort}/`, { auth: bearer(mismatched) });
    expect([other.status, other.json["reason_code"]]).toEqual([422, "APPROVED_SCOPE_MISMATCH"]);
    expect((await records("run_no_scope")).map((r) => r.reasonCode)).toEqual(["APPROVAL_REQUIRED"]);
    expect((await records("run_other_scope")).map((r) => r.reasonCode)).toEqual(["APPROVED_SCOPE_MISMATCH"]);
  });
});

describe("addresses", () => {
  it("refuses private addresses reached through a wildcard, by literal, by name and on a rebinding answer", async () => {
    const targets = [`http://127.0.0.1:${targetPort}`, `http://localhost:${targetPort}`, `http://rebind.example.test:${targetPort}`, `https://127.0.0.1:${echoPort}`];
    const token = await applyToken("run_private", targets, wide);
    const before = seen.length;
    const answers = [
      await viaProxy(`http://127.0.0.1:${targetPort}/`, { auth: bearer(token) }),
      await viaProxy(`http://localhost:${targetPort}/`, { auth: bearer(token) }),
      await viaProxy(`http://rebind.example.test:${targetPort}/`, { auth: bearer(token) }),
      await tunnelVia(`127.0.0.1:${echoPort}`, bearer(token)),
    ];
    expect(answers.map((a) => [a.status, a.json["reason_code"]])).toEqual(Array(4).fill([400, "EGRESS_PRIVATE_ADDRESS_DENIED"]));
    expect(seenSince(before)).toEqual([]);
    const rows = await records("run_private", wide);
    expect(rows.map((r) => [r.host, r.decision, r.reasonCode])).toEqual([
      ["127.0.0.1", "deny", "EGRESS_PRIVATE_ADDRESS_DENIED"],
      ["localhost", "deny", "EGRESS_PRIVATE_ADDRESS_DENIED"],
      ["rebind.example.test", "deny", "EGRESS_PRIVATE_ADDRESS_DENIED"],
      ["127.0.0.1", "deny", "EGRESS_PRIVATE_ADDRESS_DENIED"],
    ]);
  });

  it("lets a host the policy names exactly reach the private address it resolves to, dialling the checked address", async () => {
    const token = await applyToken("run_named", [`http://named.example.test:${targetPort}`], tunnels);
    const answer = await viaProxy(`http://named.example.test:${targetPort}/n`, { auth: bearer(token) });
    expect(answer.status).toBe(201);
    expect(seen.at(-1)!.headers.host).toBe(`named.example.test:${targetPort}`);
    expect((await records("run_named", tunnels)).map((r) => r.decision)).toEqual(["allow"]);
  });
});

describe("upstream failures", () => {
  it("answers 502 when the destination refuses, cannot be resolved or resets, and records the failure", async () => {
    const token = await applyToken("run_refused", [`http://127.0.0.1:${closedPort}`, `http://127.0.0.1:${targetPort}`]);
    const refused = await viaProxy(`http://127.0.0.1:${closedPort}/`, { auth: bearer(token) });
    const reset = await viaProxy(`http://127.0.0.1:${targetPort}/reset`, { auth: bearer(token) });
    const unresolved = await viaProxy("http://nowhere.example.test/", { auth: bearer(await applyToken("run_unresolved", ["http://nowhere.example.test:80"], wide)) });
    for (const answer of [refused, reset, unresolved]) expect([answer.status, answer.json["reason_code"]]).toEqual([502, "EGRESS_UPSTREAM_UNREACHABLE"]);
    const tunnelToken = await applyToken("run_refused_tunnel", [`https://127.0.0.1:${closedPort}`], tunnels);
    const tunnel = await tunnelVia(`127.0.0.1:${closedPort}`, bearer(tunnelToken));
    expect([tunnel.status, tunnel.json["reason_code"]]).toEqual([502, "EGRESS_UPSTREAM_UNREACHABLE"]);

    expect((await records("run_refused")).map((r) => [r.port, r.decision, r.reasonCode])).toEqual([
      [closedPort, "error", "EGRESS_UPSTREAM_UNREACHABLE"],
      [targetPort, "error", "EGRESS_UPSTREAM_UNREACHABLE"],
    ]);
    expect((await records("run_unresolved", wide)).map((r) => [r.host, r.port, r.decision, r.reasonCode])).toEqual([["nowhere.example.test", 80, "error", "EGRESS_UPSTREAM_UNREACHABLE"]]);
    expect((await records("run_refused_tunnel", tunnels)).map((r) => [r.decision, r.reasonCode])).toEqual([["error", "EGRESS_UPSTREAM_UNREACHABLE"]]);
  });

  it("answers 504 when the destination does not answer in time", async () => {
    const token = await applyToken("run_slow", ["http://slow.example.test:80"], wide);
    const slow = await viaProxy("http://slow.example.test/", { auth: bearer(token) });
    expect([slow.status, slow.json["reason_code"]]).toEqual([504, "EGRESS_UPSTREAM_TIMEOUT"]);
    expect((await records("run_slow", wide)).map((r) => [r.decision, r.reasonCode])).toEqual([["error", "EGRESS_UPSTREAM_TIMEOUT"]]);
  });
});

describe("shutdown", () => {
  it("stops accepting and ends open tunnels after the grace period", async () => {
    const second = await startEgressProxy({ authenticator: gw.authenticator, db: gw.database.db, now: () => new Date(), connectTimeoutMs: 300, approvedScopeOf: async (run) => approved.get(run.runId) ?? null });
    const token = await applyToken("run_shutdown", [`https://127.0.0.1:${echoPort}`], tunnels);
    const socket = connect(second.port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nProxy-Authorization: Bearer ${token}\r\n\r\n`);
    const [established] = (await once(socket, "data")) as [Buffer];
    expect(established.toString()).toMatch(/^HTTP\/1\.1 200 /);
    const ended = once(socket, "close");
    await second.close(20);
    await ended;
    await expect(new Promise((resolve, reject) => connect(second.port, "127.0.0.1").on("connect", resolve).on("error", reject))).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});

describe("credentials", () => {
  it("asks for credentials with 407 only when none are sent", async () => {
    const plain = await viaProxy(`http://127.0.0.1:${targetPort}/`);
    const tunnel = await tunnelVia("api.example.test:443");
    for (const answer of [plain, tunnel]) {
      expect([answer.status, answer.json["reason_code"]]).toEqual([407, "EGRESS_PROXY_AUTH_REQUIRED"]);
    }
    expect(plain.headers["proxy-authenticate"]).toEqual(expect.stringContaining("Basic"));
    expect(tunnel.head).toMatch(/\r\nProxy-Authenticate: Basic realm="clawea-egress"\r\n/);
  });

  it("refuses garbage, expired, revoked and ungranted tokens with their codes (never 401/403) and records nothing", async () => {
    const expired = await gw.token({ runId: "run_bad_tokens", issuedSecondsAgo: 1200, ttlSeconds: 600 });
    const ungranted = await gw.token({ runId: "run_bad_tokens", grants: ["model:invoke"] });
    const revoked = await gw.token({ runId: "run_bad_tokens" });
    const jti = (JSON.parse(Buffer.from(revoked.split(".")[1]!, "base64url").toString()) as { jti: string }).jti;
    await revokeCst({ db: gw.database.db, redis: gw.redis, now: () => new Date() }, { jti, tenantId: gw.agent.tenantId, expiresAt: new Date(Date.now() + 600_000) });
    const url = `http://127.0.0.1:${targetPort}/`;
    const cases: Array<[string, string]> = [
      ["Bearer not.a.token", "CST_MALFORMED"],
      ["Digest abc", "CST_MALFORMED"],
      [bearer(expired), "CST_EXPIRED"],
      [bearer(revoked), "CST_REVOKED"],
      [bearer(ungranted), "CST_SCOPE_DENIED"],
    ];
    for (const [auth, code] of cases) {
      const plain = await viaProxy(url, { auth });
      const tunnel = await tunnelVia("api.example.test:443", auth);
      expect([plain.status, plain.json["reason_code"]]).toEqual([400, code]);
      expect([tunnel.status, tunnel.json["reason_code"]]).toEqual([400, code]);
    }
    expect(await records("run_bad_tokens")).toEqual([]);
  });

  it("refuses requests that are not proxy requests", async () => {
    const token = await gw.token({ runId: "run_not_proxy" });
    const origin = await viaProxy("/items", { auth: bearer(token) });
    const https = await viaProxy("https://api.example.test/", { auth: bearer(token) });
    const portless = await tunnelVia("api.example.test", bearer(token));
    for (const answer of [origin, https, portless]) expect([answer.status, answer.json["reason_code"]]).toEqual([400, "EGRESS_REQUEST_INVALID"]);
    expect(await records("run_not_proxy")).toEqual([]);
  });
});
