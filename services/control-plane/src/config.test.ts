import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const kek = Buffer.alloc(32, 7).toString("base64url");
const seed = Buffer.alloc(32, 9).toString("base64url");
const base = { CLAWEA_BOOTSTRAP_KEY: "x".repeat(32), CLAWEA_KEK: kek, CLAWEA_CONTROL_PLANE_SIGNING_KEY: seed };

describe("loadConfig", () => {
  it("reads defaults for everything but secrets", () => {
    const config = loadConfig(base);
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toContain("127.0.0.1:5432");
    expect(config.bootstrapKeyHash).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.signer.did).toMatch(/^did:key:z/);
    expect(JSON.stringify(config)).not.toContain("x".repeat(32));
  });

  it.each([
    ["no bootstrap key", { CLAWEA_KEK: kek }],
    ["a short bootstrap key", { ...base, CLAWEA_BOOTSTRAP_KEY: "short" }],
    ["no KEK", { CLAWEA_BOOTSTRAP_KEY: "x".repeat(32) }],
    ["a KEK of the wrong size", { ...base, CLAWEA_KEK: "abcd" }],
    ["a bad port", { ...base, PORT: "eighty" }],
    ["no signing key", { CLAWEA_BOOTSTRAP_KEY: "x".repeat(32), CLAWEA_KEK: kek }],
    ["a signing key of the wrong size", { ...base, CLAWEA_CONTROL_PLANE_SIGNING_KEY: "abcd" }],
  ])("refuses %s with a message naming the variable", (_name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});

describe("CLAWEA_LOG_SIGNING_KEY", () => {
  it("is optional: the log's key when set, none otherwise; a malformed one is refused", () => {
    expect(loadConfig(base).logSigner).toBeNull();
    const logSeed = Buffer.alloc(32, 5).toString("base64url");
    expect(loadConfig({ ...base, CLAWEA_LOG_SIGNING_KEY: logSeed }).logSigner?.did).toMatch(/^did:key:z/);
    expect(() => loadConfig({ ...base, CLAWEA_LOG_SIGNING_KEY: "abcd" })).toThrow(ConfigError);
  });
});
