import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ProxyTarget } from "./agent.config.js";
import { httpRequest } from "./agent.egress.js";

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function proxyAnswering(status: number, body: string, headers: Record<string, string> = {}): Promise<ProxyTarget> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { host: "127.0.0.1", port: (server.address() as AddressInfo).port, authorization: null };
}

describe("http_request", () => {
  it("never connects directly: without a proxy the request is not sent", async () => {
    const result = await httpRequest({ method: "GET", url: "http://example.com/" }, { proxies: { http: null, https: null } });
    expect(result).toMatchObject({ outcome: "error", reasonCode: "EGRESS_PROXY_NOT_CONFIGURED" });
  });

  it.each([
    [{ method: "GET" }],
    [{ method: "G E T", url: "http://example.com/" }],
    [{ method: "GET", url: "file:///etc/passwd" }],
    [{ method: "GET", url: "http://user:pw@example.com/" }],
    [{ method: "POST", url: "http://example.com/", body: { a: 1 } }],
    [{ method: "GET", url: "http://example.com/", headers: { "x-a": 1 } }],
    [{ method: "GET", url: "http://example.com/", headers: { "x-a": "a\r\nInjected: yes" } }],
  ])("refuses malformed arguments %j", async (args) => {
    const proxy = { host: "127.0.0.1", port: 9, authorization: null };
    expect(await httpRequest(args, { proxies: { http: proxy, https: proxy } })).toMatchObject({ outcome: "error", reasonCode: "TOOL_ARGUMENTS_INVALID" });
  });

  it("reports an unreachable proxy", async () => {
    const closed = await proxyAnswering(200, "{}");
    servers[0]!.close();
    servers.length = 0;
    const result = await httpRequest({ method: "GET", url: "http://example.com/" }, { proxies: { http: closed, https: closed } });
    expect(result).toMatchObject({ outcome: "error", reasonCode: "EGRESS_PROXY_UNREACHABLE" });
  });

  it("reads the reason code from the header, and a 5xx from the proxy as an error, not a denial", async () => {
    const auth = await proxyAnswering(407, '{"reason_code":"EGRESS_PROXY_AUTH_REQUIRED"}', { "x-clawea-reason-code": "EGRESS_PROXY_AUTH_REQUIRED" });
    expect(await httpRequest({ method: "GET", url: "http://example.com/" }, { proxies: { http: auth, https: null } })).toMatchObject({
      outcome: "denied",
      reasonCode: "EGRESS_PROXY_AUTH_REQUIRED",
      content: { status: 407 },
    });
    const down = await proxyAnswering(502, '{"reason_code":"EGRESS_UPSTREAM_UNREACHABLE","retryable":true}', { "x-clawea-reason-code": "EGRESS_UPSTREAM_UNREACHABLE" });
    expect(await httpRequest({ method: "GET", url: "http://example.com/" }, { proxies: { http: down, https: null } })).toMatchObject({
      outcome: "error",
      reasonCode: "EGRESS_UPSTREAM_UNREACHABLE",
      content: { retryable: true },
    });
  });

  it("passes a destination's own error status through as a performed request", async () => {
    const notFound = await proxyAnswering(404, "nope", { "content-type": "text/plain" });
    expect(await httpRequest({ method: "GET", url: "http://example.com/missing" }, { proxies: { http: notFound, https: null } })).toEqual({
      outcome: "ok",
      content: { status: 404, content_type: "text/plain", body: "nope", truncated: false },
    });
  });

  it("gives up after the timeout", async () => {
    const server = createServer(() => undefined);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const proxy = { host: "127.0.0.1", port: (server.address() as AddressInfo).port, authorization: null };
    const result = await httpRequest({ method: "GET", url: "http://example.com/" }, { proxies: { http: proxy, https: null }, timeoutMs: 100 });
    expect(result).toMatchObject({ outcome: "error", reasonCode: "EGRESS_REQUEST_FAILED" });
    server.closeAllConnections();
  });
});
