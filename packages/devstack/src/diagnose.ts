/** What to say when PostgreSQL or Redis is not there: exactly what is missing and how to get it. */

export type Dependency = "postgres" | "redis";

export interface Failure {
  dependency: Dependency;
  url: string;
  /** unreachable: nothing answers; auth: the server refused the login; other: anything else. */
  kind: "unreachable" | "auth" | "other";
  detail: string;
}

/** The URL without its password, for messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(not a URL)";
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "ENETUNREACH"]);

/** Classifies a connection error by its code (node network codes, PostgreSQL SQLSTATE 28xxx for auth). */
export function classify(error: unknown): { kind: Failure["kind"]; detail: string } {
  const err = error as { code?: unknown; message?: unknown; errors?: unknown } | null;
  const code = typeof err?.code === "string" ? err.code : undefined;
  // AggregateError (IPv4 + IPv6 attempts) carries the useful message in its members.
  const first = Array.isArray(err?.errors) ? (err.errors[0] as { message?: unknown } | undefined) : undefined;
  const message = typeof err?.message === "string" && err.message ? err.message : typeof first?.message === "string" ? first.message : String(error);
  if (code && NETWORK_CODES.has(code)) return { kind: "unreachable", detail: message };
  if (code?.startsWith("28") || /NOAUTH|WRONGPASS|password authentication/i.test(message)) return { kind: "auth", detail: message };
  if (/connect|timeout|timed out/i.test(message)) return { kind: "unreachable", detail: message };
  return { kind: "other", detail: message };
}

const NAME: Record<Dependency, string> = { postgres: "PostgreSQL", redis: "Redis" };
const ENV: Record<Dependency, string> = { postgres: "DATABASE_URL", redis: "REDIS_URL" };

export function describeFailure(failure: Failure): string {
  const where = `${NAME[failure.dependency]} at ${redactUrl(failure.url)} (${ENV[failure.dependency]})`;
  switch (failure.kind) {
    case "unreachable":
      return `${where} is not reachable: ${failure.detail}`;
    case "auth":
      return `${where} refused the login: ${failure.detail}`;
    case "other":
      return `${where} failed: ${failure.detail}`;
  }
}

/** The whole message for the operator: what is missing, then how to get it. */
export function diagnosis(failures: readonly Failure[]): string {
  const lines = ["clawea: cannot start; missing:", ...failures.map((f) => `  - ${describeFailure(f)}`), "", "How to get them:"];
  const missing = new Set(failures.filter((f) => f.kind === "unreachable").map((f) => f.dependency));
  if (missing.size > 0) {
    lines.push(
      "  with Docker:  docker compose up -d postgres redis",
      "  without Docker (Debian/Ubuntu):",
    );
    if (missing.has("postgres")) {
      lines.push(
        "    sudo apt-get install -y postgresql && sudo service postgresql start",
        "    (the default DATABASE_URL logs in as `postgres` without a password: allow it with `trust` for 127.0.0.1 in pg_hba.conf,",
        "     or set DATABASE_URL=postgres://user:password@127.0.0.1:5432/clawea)",
      );
    }
    if (missing.has("redis")) lines.push("    sudo apt-get install -y redis-server && sudo service redis-server start");
  }
  if (failures.some((f) => f.kind === "auth")) {
    lines.push("  fix the credentials in DATABASE_URL / REDIS_URL (or the server's auth settings, e.g. pg_hba.conf)");
  }
  lines.push("  or point DATABASE_URL / REDIS_URL at servers you already run.");
  return lines.join("\n") + "\n";
}
