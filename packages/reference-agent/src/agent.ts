#!/usr/bin/env node
/**
 * `node dist/agent.js`: the reference agent's entry point. Runs one task in the current folder (the
 * workspace) and exits 0 completed, 3 failed by a denial or limit, 1 crashed.
 */
import { main } from "./agent/agent.main.js";

process.exitCode = await main(process.env, process.cwd(), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
