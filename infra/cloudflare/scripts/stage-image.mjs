#!/usr/bin/env node
// Stages what the sandbox image adds to Cloudflare's base image into ./image (the Docker build context is
// this directory): the reference agent, built (`pnpm --filter @clawea/reference-agent build`), as its
// package.json and dist/. The data plane runs it as /usr/local/bin/node /opt/clawea/reference-agent/dist/agent.js.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../../../packages/reference-agent/", import.meta.url));
const to = fileURLToPath(new URL("../image/reference-agent/", import.meta.url));
if (!existsSync(`${from}dist/agent.js`)) {
  process.stderr.write("stage-image: packages/reference-agent is not built; run pnpm --filter @clawea/reference-agent build\n");
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
cpSync(`${from}package.json`, `${to}package.json`);
cpSync(`${from}dist`, `${to}dist`, { recursive: true, filter: (path) => !path.endsWith(".map") && !path.endsWith(".d.ts") });
process.stdout.write(`stage-image: reference agent staged in ${to}\n`);
