/** The "allowed host" of the journey: a local HTTP server that records what reaches it. */
import { createServer, type IncomingMessage } from "node:http";

export interface ReceivedRequest {
  method: string;
  path: string;
  body: string;
}

export interface TargetServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
  const received: ReceivedRequest[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      received.push({ method: request.method ?? "", path: request.url ?? "", body });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
