import { describe, expect, it } from "vitest";
import { serviceEnv, stackConfig, stackUrls, StackConfigError } from "./stack.js";

const keys = { bootstrapKey: "boot", kek: "kek", gatewaySigningKey: "gw", controlPlaneSigningKey: "cp", dataPlaneSigningKey: "dp", logSigningKey: "log" };

describe("stackConfig", () => {
  it("uses the documented defaults", () => {
    const c = stackConfig({}, "/tmp/dev");
    expect(c).toMatchObject({
      databaseUrl: "postgres://postgres@127.0.0.1:5432/clawea",
      redisUrl: "redis://127.0.0.1:6379",
      controlPlanePort: 8080,
      gatewayPort: 8081,
      egressPort: 8082,
      sandboxRoot: "/tmp/dev/sandboxes",
    });
    expect(stackUrls(c)).toEqual({ controlPlane: "http://127.0.0.1:8080", gatewayModel: "http://127.0.0.1:8081/v1", gatewayEgress: "http://127.0.0.1:8082" });
  });
  it("rejects a bad port", () => {
    expect(() => stackConfig({ PORT: "x" }, "/d")).toThrow(StackConfigError);
  });
  it("reaches a wildcard bind on loopback", () => {
    expect(stackUrls(stackConfig({ HOST: "0.0.0.0", PORT: "9000" }, "/d")).controlPlane).toBe("http://127.0.0.1:9000");
  });
});

const dids = { controlPlane: "did:key:zCP", gateway: "did:key:zGW", dataPlane: "did:key:zDP" };

describe("serviceEnv", () => {
  const env = { PATH: "/bin", CLAWEA_BOOTSTRAP_KEY: "leak", GATEWAY_PORT: "7001", GATEWAY_EGRESS_PORT: "7002" };
  const config = stackConfig(env, "/d");
  it("gives each service only its own secrets", () => {
    const cp = serviceEnv("control-plane", env, config, keys, dids);
    expect(cp).toMatchObject({
      PATH: "/bin",
      CLAWEA_BOOTSTRAP_KEY: "boot",
      CLAWEA_KEK: "kek",
      MIGRATE_ON_START: "false",
      PORT: "8080",
      CLAWEA_CONTROL_PLANE_SIGNING_KEY: "cp",
      CLAWEA_TRUST_GATEWAY_DIDS: "did:key:zGW",
      CLAWEA_TRUST_DATA_PLANE_DIDS: "did:key:zDP",
    });
    expect(cp.CLAWEA_GATEWAY_SIGNING_KEY).toBeUndefined();
    const gw = serviceEnv("gateway", env, config, keys, dids);
    expect(gw).toMatchObject({ CLAWEA_GATEWAY_SIGNING_KEY: "gw", CLAWEA_CST_ISSUERS: "did:key:zCP", CLAWEA_KEK: "kek", GATEWAY_PORT: "7001" });
    expect(gw.CLAWEA_BOOTSTRAP_KEY).toBeUndefined();
    expect(JSON.parse(gw.CLAWEA_PROVIDERS ?? "{}").scripted).toEqual({ baseUrl: "http://127.0.0.1:8083/v1", api: "openai" });
    const model = serviceEnv("scripted-model", env, config, keys, dids);
    for (const name of ["CLAWEA_BOOTSTRAP_KEY", "CLAWEA_KEK"]) expect(model[name]).toBeUndefined();
    const dp = serviceEnv("data-plane", env, config, keys, dids);
    expect(dp).toMatchObject({
      GATEWAY_MODEL_URL: "http://127.0.0.1:7001/v1",
      GATEWAY_EGRESS_PROXY_URL: "http://127.0.0.1:7002",
      SANDBOX_ROOT: "/d/sandboxes",
      CLAWEA_KEK: "kek",
      CLAWEA_DATA_PLANE_SIGNING_KEY: "dp",
      CLAWEA_LOG_SIGNING_KEY: "log",
      CLAWEA_CST_ISSUERS: "did:key:zCP",
    });
    for (const name of ["CLAWEA_BOOTSTRAP_KEY", "CLAWEA_GATEWAY_SIGNING_KEY", "CLAWEA_CONTROL_PLANE_SIGNING_KEY"]) expect(dp[name]).toBeUndefined();
  });
});
