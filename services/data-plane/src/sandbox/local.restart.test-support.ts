/**
 * A data-plane process for the restart test: creates a local sandbox (SANDBOX_ROOT, SANDBOX_SPEC), starts a long exec
 * in it (EXEC_MARK in its command line), says "ready" once that exec runs, and waits to be killed.
 */
import { LocalSandboxProvider } from "./local.provider.js";
import type { SandboxSpec } from "./sandbox.provider.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const spec = JSON.parse(env("SANDBOX_SPEC")) as SandboxSpec;
const provider = new LocalSandboxProvider({ root: env("SANDBOX_ROOT"), hidePaths: ["/work"] });
await provider.create(spec);
let ready = false;
void provider.exec(spec.id, ["sh", "-c", `echo started; sleep ${env("EXEC_MARK")}`], {
  onOutput: () => {
    if (ready) return;
    ready = true;
    process.stdout.write("ready\n");
  },
});
setInterval(() => undefined, 60_000);
