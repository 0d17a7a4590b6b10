#!/usr/bin/env node
/**
 * The gateway process: config, then either the server itself or, with GATEWAY_WORKERS > 1, a primary
 * that runs that many server processes on the same ports (see process/workers.ts).
 */
import pino from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { isWorkerPrimary, superviseWorkers } from "./process/workers.js";
import { serveGateway } from "./server.js";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`gateway: configuration error: ${error.message}\n`);
  process.exit(2);
}

const logger = pino({ level: config.logLevel, base: { service: "gateway" } });
if (isWorkerPrimary(config.workers)) {
  await superviseWorkers({ count: config.workers, log: logger });
  process.exit(0);
}
await serveGateway(config, logger);
