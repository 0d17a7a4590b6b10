import { describe, expect, it } from "vitest";
import { classify, diagnosis, redactUrl } from "./diagnose.js";

describe("classify", () => {
  it("treats network errors as unreachable", () => {
    expect(classify(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })).kind).toBe("unreachable");
    expect(classify(Object.assign(new Error(""), { code: "ECONNREFUSED", errors: [new Error("connect ECONNREFUSED ::1:6379")] })).detail).toBe(
      "connect ECONNREFUSED ::1:6379",
    );
    expect(classify(new Error("Connection terminated due to connection timeout")).kind).toBe("unreachable");
  });
  it("treats PostgreSQL 28xxx and Redis auth errors as auth", () => {
    expect(classify(Object.assign(new Error('password authentication failed for user "x"'), { code: "28P01" })).kind).toBe("auth");
    expect(classify(new Error("NOAUTH Authentication required.")).kind).toBe("auth");
  });
  it("keeps anything else as other", () => {
    expect(classify(new Error("boom"))).toEqual({ kind: "other", detail: "boom" });
  });
});

describe("diagnosis", () => {
  it("names what is missing and how to get it", () => {
    const text = diagnosis([
      { dependency: "postgres", url: "postgres://postgres@127.0.0.1:5432/clawea", kind: "unreachable", detail: "connect ECONNREFUSED 127.0.0.1:5432" },
      { dependency: "redis", url: "redis://127.0.0.1:6379", kind: "unreachable", detail: "connect ECONNREFUSED 127.0.0.1:6379" },
    ]);
    expect(text).toContain("PostgreSQL at postgres://postgres@127.0.0.1:5432/clawea (DATABASE_URL) is not reachable");
    expect(text).toContain("Redis at redis://127.0.0.1:6379 (REDIS_URL) is not reachable");
    expect(text).toContain("docker compose up -d postgres redis");
    expect(text).toContain("apt-get install -y postgresql");
    expect(text).toContain("apt-get install -y redis-server");
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  });
  it("only mentions the package that is missing", () => {
    const text = diagnosis([{ dependency: "redis", url: "redis://127.0.0.1:6379", kind: "unreachable", detail: "x" }]);
    expect(text).toContain("redis-server");
    expect(text).not.toContain("apt-get install -y postgresql");
  });
  it("points at credentials for a refused login and never prints the password", () => {
    const text = diagnosis([{ dependency: "postgres", url: "postgres://u:secret@db:5432/clawea", kind: "auth", detail: "password authentication failed" }]);
    expect(text).toContain("refused the login");
    expect(text).toContain("fix the credentials");
    expect(text).not.toContain("secret");
    expect(text).not.toContain("docker compose");
  });
  it("redacts passwords", () => {
    expect(redactUrl("redis://:pw@h:6379")).toBe("redis://:***@h:6379");
    expect(redactUrl("not a url")).toBe("(not a URL)");
  });
});
