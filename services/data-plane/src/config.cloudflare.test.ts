import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { b64uEncode, keyPairFromSeed } from "@clawea/protocol";
import { ConfigError, loadConfig } from "./config.js";

const seed = (): string => b64uEncode(randomBytes(32));
const base = {
  CLAWEA_KEK: seed(),
  CLAWEA_DATA_PLANE_SIGNING_KEY: seed(),
  CLAWEA_LOG_SIGNING_KEY: seed(),
  CLAWEA_CST_ISSUERS: keyPairFromSeed(randomBytes(32)).did,
};
const cloudflare = { SANDBOX_PROVIDER: "cloudflare", CLOUDFLARE_BRIDGE_URL: "https://bridge.example.workers.dev", CLOUDFLARE_BRIDGE_TOKEN: "s3cret" };

describe("config: sandbox provider", () => {
  it("defaults to local, where the bridge settings are neither needed nor read", () => {
    expect(loadConfig(base)).toMatchObject({ sandboxProvider: "local", cloudflareBridge: null });
    expect(loadConfig({ ...base, CLOUDFLARE_BRIDGE_URL: "not a url" }).cloudflareBridge).toBeNull();
  });

  it("SANDBOX_PROVIDER=cloudflare reads the bridge URL and token", () => {
    expect(loadConfig({ ...base, ...cloudflare })).toMatchObject({
      sandboxProvider: "cloudflare",
      cloudflareBridge: { url: "https://bridge.example.workers.dev/", token: "s3cret" },
    });
    expect(loadConfig({ ...base, ...cloudflare, CLOUDFLARE_BRIDGE_URL: "http://127.0.0.1:8787" }).cloudflareBridge?.url).toBe("http://127.0.0.1:8787/");
  });

  it("refuses cloudflare without its URL or token (no default for the secret), a non-URL, or plain http off loopback", () => {
    for (const env of [
      { ...base, ...cloudflare, CLOUDFLARE_BRIDGE_TOKEN: "" },
      { ...base, SANDBOX_PROVIDER: "cloudflare", CLOUDFLARE_BRIDGE_URL: cloudflare.CLOUDFLARE_BRIDGE_URL },
      { ...base, SANDBOX_PROVIDER: "cloudflare", CLOUDFLARE_BRIDGE_TOKEN: "s3cret" },
      { ...base, ...cloudflare, CLOUDFLARE_BRIDGE_URL: "bridge.example" },
      { ...base, ...cloudflare, CLOUDFLARE_BRIDGE_URL: "http://bridge.example.workers.dev" },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
    expect(() => loadConfig({ ...base, SANDBOX_PROVIDER: "docker" })).toThrow(ConfigError);
  });
});
