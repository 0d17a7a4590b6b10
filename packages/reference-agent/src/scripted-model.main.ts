#!/usr/bin/env node
/**
 * `node dist/scripted-model.main.js [--port N] [--host H] [--script replies.json]`: runs the scripted
 * model until SIGINT/SIGTERM and prints its OpenAI base URL as the one line on stdout.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ScriptedReply } from "./scripted-model/scripted-model.reply.js";
import { startScriptedModel } from "./scripted-model/scripted-model.server.js";

const USAGE = "usage: scripted-model [--port N] [--host H] [--script replies.json]";

function fail(message: string): never {
  process.stderr.write(`scripted-model: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { port?: string; host?: string; script?: string };
try {
  ({ values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, script: { type: "string" } }, strict: true }));
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0..65535, got ${values.port}`);

let script: ScriptedReply[] | undefined;
if (values.script !== undefined) {
  try {
    const parsed: unknown = JSON.parse(readFileSync(values.script, "utf8"));
    if (!Array.isArray(parsed)) throw new Error("the script must be a JSON array of replies");
    script = parsed as ScriptedReply[];
  } catch (err) {
    fail(`--script ${values.script}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const model = await startScriptedModel({ port, ...(values.host === undefined ? {} : { host: values.host }), ...(script === undefined ? {} : { script }) });
process.stdout.write(`${model.url}\n`);

const stop = (): void => {
  model.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
