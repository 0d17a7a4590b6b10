// Test-only: an approval card, and a local HTTP server that records requests and answers as scripted (a vendor stand-in).
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApprovalCard } from "./card.model.js";

export function approvalCard(overrides: Partial<ApprovalCard> = {}): ApprovalCard {
  return {
    approval_id: "apr_01J9Z3",
    run_id: "run_01J9Z2",
    tenant_id: "ten_01J9Z1",
    agent: { id: "agt_01J9Z0", name: "release-bot" },
    task: "Bump the SDK version and open a release PR",
    requested_by: "key_ci",
    plan: {
      plan_hash_b64u: "p".repeat(43),
      intended_side_effects: [
        { kind: "repo_push", target: "github.com/acme/sdk", summary: "push branch release/1.2.0", risk_flags: ["external_write"] },
        { kind: "network_egress", target: "https://registry.npmjs.org:443", summary: "fetch package metadata", risk_flags: [] },
      ],
      workspace_diff: { files: [{ path: "package.json", change: "modified", size_bytes: 1536 }, { path: "CHANGELOG.md", change: "added", size_bytes: 200 }] },
      estimate: { tokens: 12_000, cost_minor: 40, duration_ms: 90_000 },
      risk_flags: ["external_write"],
    },
    scope_hash_b64u: "s".repeat(43),
    policy_hash_b64u: "w".repeat(43),
    expires_at: "2030-01-01T12:00:00Z",
    scope_grant_ttl_seconds: 3600,
    dashboard_url: "https://clawea.example/runs/run_01J9Z2",
    ...overrides,
  };
}

/** A card with every list and text far over every vendor limit, in characters that need escaping. */
export function hugeCard(): ApprovalCard {
  const nasty = "<!channel> & *bold* `tick` @octocat [x](https://evil.example) {{DATE(2030-01-01T00:00:00Z)}} ü漢😀 ";
  return approvalCard({
    task: nasty.repeat(200),
    agent: { id: "agt_x", name: nasty.repeat(10) },
    plan: {
      plan_hash_b64u: "p".repeat(43),
      intended_side_effects: Array.from({ length: 300 }, (_, i) => ({ kind: "external_api_write", target: `${nasty.repeat(5)}${i}`, summary: nasty.repeat(20), risk_flags: ["destructive", "new_domain"] })),
      workspace_diff: { files: Array.from({ length: 500 }, (_, i) => ({ path: `${"dir/".repeat(80)}${nasty}${i}`, change: "deleted" as const })) },
      estimate: { tokens: 1, cost_minor: 1, duration_ms: 1 },
      risk_flags: ["destructive", "new_domain", "secret_path"],
    },
  });
}

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | object;
  /** Answer only after this long (a vendor that is too slow). */
  delayMs?: number;
}

export interface FakeServer {
  url: string;
  requests: Captured[];
  close(): Promise<void>;
}

export async function startFake(handler: (request: Captured) => Reply): Promise<FakeServer> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const captured = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(captured);
      const reply = handler(captured);
      const json = typeof reply.body === "object";
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { ...(json ? { "content-type": "application/json" } : {}), ...reply.headers });
        res.end(json ? JSON.stringify(reply.body) : (reply.body ?? ""));
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A URL nothing listens on: a port just released. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
