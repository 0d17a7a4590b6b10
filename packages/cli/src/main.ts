#!/usr/bin/env node
/** The `clawea` binary: real files, real clock, real exit status. */
import { readFile, writeFile } from "node:fs/promises";
import { runCli } from "./cli.js";

const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeFile: (path, data, mode) => writeFile(path, data, { mode, flag: "wx" }),
  now: () => new Date().toISOString(),
  env: (name) => process.env[name],
});
process.exitCode = status;
