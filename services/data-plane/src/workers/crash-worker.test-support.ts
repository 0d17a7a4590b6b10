/**
 * A worker process for the SIGKILL test: its sandboxes live in files under SANDBOX_DIR and its deploy
 * hangs right after creating the sandbox, so the test can kill it mid-job.
 */
import { createDatabase } from "@clawea/db";
import { createAgentLifecycleHandlers } from "./agent-lifecycle.handlers.js";
import { startWorkers } from "./agent-workers.js";
import { GATEWAY, silentLogger } from "./fixtures.test-support.js";
import { FileSandboxProvider } from "./sandbox-doubles.test-support.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const database = createDatabase(env("DATABASE_URL"), { max: 2 });
const redis = new URL(env("REDIS_URL"));
const provider = new FileSandboxProvider(env("SANDBOX_DIR"), { holdAfterCreate: true });
const handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: GATEWAY, logger: silentLogger });
startWorkers({
  connection: { host: redis.hostname, port: Number(redis.port || 6379) },
  handlers,
  concurrency: 1,
  prefix: env("BULL_PREFIX"),
  lockDuration: Number(env("LOCK_DURATION_MS")),
  // The stalled check is throttled by one queue-wide key whose lifetime is the last checker's interval.
  stalledInterval: Number(env("STALLED_INTERVAL_MS")),
});
process.stdout.write("ready\n");
