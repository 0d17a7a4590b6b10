/**
 * The egress listener: a default-deny HTTP forward proxy (absolute-form `GET http://host/…`) and CONNECT tunnel,
 * its own node:http server next to the Fastify model API. Every answer the proxy gives itself is a status from the
 * reason-code registry with a JSON body; 407 only when the request carries no credential at all (so proxy clients
 * send the one they have), never 401/403.
 */
import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream";
import { REASON_CODES } from "@clawea/protocol";
import { errorBody } from "../../http/errors.js";
import { connectTarget, endToEndHeaders, forwardTarget, hostHeader, proxyCredential, type EgressTarget } from "./egress-proxy.domain.js";
import { createEgressGate, type Admission, type EgressGateDeps, type Refusal } from "./egress-proxy.service.js";

export interface EgressProxyOptions extends EgressGateDeps {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
}

export interface EgressProxy {
  port: number;
  /** `http://host:port`, what HTTP_PROXY / HTTPS_PROXY point at (with the CST as the password). */
  url: string;
  /** Stops accepting at once; open requests and tunnels get `graceMs`, then every socket is destroyed. */
  close(graceMs?: number): Promise<void>;
}

const REALM = 'realm="clawea-egress"';

interface Answer {
  status: number;
  headers: string[];
  body: string;
}

function answerFor(refusal: Refusal, requestId: string): Answer {
  const body = JSON.stringify(
    errorBody(refusal.code, refusal.detail, requestId, {
      detail: refusal.detail,
      ...(refusal.intendedSideEffect === undefined ? {} : { intended_side_effect: refusal.intendedSideEffect }),
    }),
  );
  const headers = [
    "Content-Type", "application/json",
    "Content-Length", String(Buffer.byteLength(body)),
    "X-Request-Id", requestId,
    "X-Clawea-Reason-Code", refusal.code,
    "Connection", "close",
  ];
  if (refusal.code === "EGRESS_PROXY_AUTH_REQUIRED") headers.push("Proxy-Authenticate", `Basic ${REALM}`, "Proxy-Authenticate", `Bearer ${REALM}`);
  return { status: REASON_CODES[refusal.code].status, headers, body };
}

function refuseHttp(res: ServerResponse, refusal: Refusal, requestId: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const answer = answerFor(refusal, requestId);
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

/** A CONNECT refusal: the status line and JSON body on the raw socket, then close (no tunnel). */
function refuseTunnel(socket: Duplex, refusal: Refusal, requestId: string): void {
  const answer = answerFor(refusal, requestId);
  let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? "Error"}\r\n`;
  for (let i = 0; i + 1 < answer.headers.length; i += 2) head += `${answer.headers[i]!}: ${answer.headers[i + 1]!}\r\n`;
  socket.end(`${head}\r\n${answer.body}`);
}

function newRequestId(): string {
  return `req_${randomUUID().replaceAll("-", "")}`;
}

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const gate = createEgressGate(options);
  const { logger } = options;
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  function logAttempt(requestId: string, target: EgressTarget, admission: Admission, outcome?: Refusal): void {
    const refusal = outcome ?? (admission.ok ? null : admission.refusal);
    logger?.info(
      {
        request_id: requestId,
        run_id: admission.run?.runId,
        tenant_id: admission.run?.tenantId,
        agent_id: admission.run?.agentId,
        phase: admission.run?.phase,
        scheme: target.scheme,
        host: target.host,
        port: target.port,
        method: target.method ?? "CONNECT",
        decision: refusal === null ? "allow" : admission.ok ? "error" : admission.recorded,
        reason_code: refusal?.code,
      },
      "egress attempt",
    );
  }

  async function forward(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const target = forwardTarget(req.url, req.method);
    if (target === null) {
      refuseHttp(res, { code: "EGRESS_REQUEST_INVALID", detail: "send an absolute-form http:// request line, or CONNECT host:port for https" }, requestId);
      return;
    }
    const admission = await gate.admit(proxyCredential(req.headers["proxy-authorization"]), target);
    if (!admission.ok) {
      logAttempt(requestId, target, admission);
      refuseHttp(res, admission.refusal, requestId);
      return;
    }
    const dialled = await gate.dial(admission, target.port);
    logAttempt(requestId, target, admission, dialled.ok ? undefined : dialled.refusal);
    if (!dialled.ok) {
      refuseHttp(res, dialled.refusal, requestId);
      return;
    }
    const upstreamSocket = dialled.socket;
    track(upstreamSocket);
    if (res.destroyed) {
      upstreamSocket.destroy();
      return;
    }
    const upstream = httpRequest({
      createConnection: () => upstreamSocket,
      method: target.method,
      path: target.path,
      headers: endToEndHeaders(req.rawHeaders, hostHeader(target)),
      setHost: false,
    });
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders));
      pipeline(answer, res, () => upstreamSocket.destroy());
    });
    upstream.on("error", (error) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const code = "EGRESS_UPSTREAM_UNREACHABLE";
      void gate.failed(admission, code).then(() => refuseHttp(res, { code, detail: `the destination dropped the connection before answering: ${(error as NodeJS.ErrnoException).code ?? error.message}` }, requestId));
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  async function tunnel(req: IncomingMessage, client: Duplex, head: Buffer, requestId: string): Promise<void> {
    const target = connectTarget(req.url);
    if (target === null) {
      refuseTunnel(client, { code: "EGRESS_REQUEST_INVALID", detail: "CONNECT needs host:port" }, requestId);
      return;
    }
    const admission = await gate.admit(proxyCredential(req.headers["proxy-authorization"]), target);
    if (!admission.ok) {
      logAttempt(requestId, target, admission);
      refuseTunnel(client, admission.refusal, requestId);
      return;
    }
    const dialled = await gate.dial(admission, target.port);
    logAttempt(requestId, target, admission, dialled.ok ? undefined : dialled.refusal);
    if (!dialled.ok) {
      refuseTunnel(client, dialled.refusal, requestId);
      return;
    }
    const upstream: Socket = dialled.socket;
    track(upstream);
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    client.once("close", () => upstream.destroy());
    client.write(`HTTP/1.1 200 Connection Established\r\nX-Request-Id: ${requestId}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  }

  const server = createServer();
  server.on("connection", (socket: Socket) => track(socket));
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId();
    forward(req, res, requestId).catch((error: unknown) => {
      logger?.error({ err: error, request_id: requestId }, "egress request failed");
      refuseHttp(res, { code: "INTERNAL_ERROR", detail: "the egress proxy failed; nothing was sent" }, requestId);
    });
  });
  server.on("connect", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const requestId = newRequestId();
    // A client that resets mid-handshake must not take the process down.
    client.on("error", () => client.destroy());
    tunnel(req, client, head, requestId).catch((error: unknown) => {
      logger?.error({ err: error, request_id: requestId }, "egress tunnel failed");
      if (!client.destroyed) refuseTunnel(client, { code: "INTERNAL_ERROR", detail: "the egress proxy failed; nothing was sent" }, requestId);
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close(graceMs = 0) {
      return new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
