import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const kek = Buffer.alloc(32, 7).toString("base64url");
const base = { CLAWEA_BOOTSTRAP_KEY: "x".repeat(32), CLAWEA_KEK: kek };

describe("loadConfig", () => {
  it("reads defaults for everything but secrets", () => {
    const config = loadConfig(base);
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toContain("127.0.0.1:5432");
    expect(config.bootstrapKeyHash).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
    expect(JSON.stringify(config)).not.toContain("x".repeat(32));
  });

  it.each([
    ["no bootstrap key", { CLAWEA_KEK: kek }],
    ["a short bootstrap key", { ...base, CLAWEA_BOOTSTRAP_KEY: "short" }],
    ["no KEK", { CLAWEA_BOOTSTRAP_KEY: "x".repeat(32) }],
    ["a KEK of the wrong size", { ...base, CLAWEA_KEK: "abcd" }],
    ["a bad port", { ...base, PORT: "eighty" }],
  ])("refuses %s with a message naming the variable", (_name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
