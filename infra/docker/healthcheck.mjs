#!/usr/bin/env node
/**
 * Docker HEALTHCHECK probe (the images have no curl or wget): exit 0 when `GET <url>` answers 2xx within 3 s, else 1.
 *   node /app/infra/docker/healthcheck.mjs http://127.0.0.1:8080/readyz
 */
const url = process.argv[2];
if (!url) {
  process.stderr.write("usage: healthcheck.mjs URL\n");
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`healthcheck: ${url}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
