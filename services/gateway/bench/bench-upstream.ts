/**
 * A model provider for the benchmark, in its own process: OpenAI-compatible chat completions answered
 * at once, as JSON or as a short SSE stream (written in one go, then ended). Model `gpt-bench-paced`
 * streams as a model does: the first chunk at once, then PACED_CHUNKS more, PACED_GAP_MS apart.
 * Prints its URL.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };
const json = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1,
  model: "gpt-bench",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello world" }, finish_reason: "stop" }],
  usage,
});
const chunk = (delta: unknown, finish: string | null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "gpt-bench", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const events = [
  chunk({ role: "assistant", content: "" }, null),
  chunk({ content: "Hello" }, null),
  chunk({ content: " world" }, null),
  chunk({}, "stop"),
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "gpt-bench", choices: [], usage })}\n\n`,
  "data: [DONE]\n\n",
].join("");

const PACED_CHUNKS = 10;
const PACED_GAP_MS = 20;

function paced(res: import("node:http").ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(chunk({ role: "assistant", content: "" }, null));
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    if (++sent <= PACED_CHUNKS) return void res.write(chunk({ content: ` token${sent}` }, null));
    clearInterval(timer);
    res.end(`${chunk({}, "stop")}data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "gpt-bench-paced", choices: [], usage })}\n\ndata: [DONE]\n\n`);
  }, PACED_GAP_MS);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const stream = body.includes('"stream":true');
    if (stream && body.includes('"model":"gpt-bench-paced"')) {
      paced(res);
    } else if (stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(events);
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.end(json);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("SIGINT", () => server.close(() => process.exit(0)));
server.on("close", () => server.closeAllConnections());
