// loadConfig: the provider routes (with the model identity tier each vouches for), the chain commit mode, and the refusals.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "@clawea/protocol";
import { ConfigError, loadConfig } from "./config.js";

const base: NodeJS.ProcessEnv = {
  CLAWEA_GATEWAY_SIGNING_KEY: randomBytes(32).toString("base64url"),
  CLAWEA_CST_ISSUERS: generateKeyPair().did,
  CLAWEA_KEK: randomBytes(32).toString("base64url"),
};

const providers = (value: unknown) => loadConfig({ ...base, CLAWEA_PROVIDERS: typeof value === "string" ? value : JSON.stringify(value) }).providers;

describe("CLAWEA_PROVIDERS", () => {
  it("defaults to the public OpenAI and Anthropic APIs, whose models are closed_opaque", () => {
    expect(loadConfig(base).providers).toEqual({
      openai: { baseUrl: "https://api.openai.com/v1", api: "openai", model_identity_tier: "closed_opaque" },
      anthropic: { baseUrl: "https://api.anthropic.com", api: "anthropic", model_identity_tier: "closed_opaque" },
    });
  });

  it("reads each route and the model identity tier it declares; no tier means unknown", () => {
    expect(
      providers({
        scripted: { baseUrl: "http://127.0.0.1:8787/v1", api: "openai" },
        "tee-llm": { baseUrl: "https://llm.internal/v1", api: "openai", model_identity_tier: "tee_measured" },
        claude: { baseUrl: "https://api.anthropic.com", api: "anthropic", model_identity_tier: "closed_opaque" },
      }),
    ).toEqual({
      scripted: { baseUrl: "http://127.0.0.1:8787/v1", api: "openai" },
      "tee-llm": { baseUrl: "https://llm.internal/v1", api: "openai", model_identity_tier: "tee_measured" },
      claude: { baseUrl: "https://api.anthropic.com", api: "anthropic", model_identity_tier: "closed_opaque" },
    });
  });

  it.each<[string, unknown]>([
    ["not JSON", "{openai:"],
    ["not an object", [{ baseUrl: "https://a.example", api: "openai" }]],
    ["a route that is not an object", { openai: "https://api.openai.com/v1" }],
    ["a provider name with a slash", { "a/b": { baseUrl: "https://a.example", api: "openai" } }],
    ["an empty provider name", { "": { baseUrl: "https://a.example", api: "openai" } }],
    ["no baseUrl", { openai: { api: "openai" } }],
    ["a baseUrl that is not a URL", { openai: { baseUrl: "api.openai.com", api: "openai" } }],
    ["a baseUrl that is not http(s)", { openai: { baseUrl: "ftp://api.openai.com", api: "openai" } }],
    ["an unknown api", { openai: { baseUrl: "https://a.example", api: "gemini" } }],
    ["an unknown tier", { openai: { baseUrl: "https://a.example", api: "openai", model_identity_tier: "gold" } }],
    ["a misspelt setting", { openai: { baseUrl: "https://a.example", api: "openai", modelIdentityTier: "tee_measured" } }],
    ["a price list that is not an object", { openai: { baseUrl: "https://a.example", api: "openai", prices: 3 } }],
    ["a negative price", { openai: { baseUrl: "https://a.example", api: "openai", prices: { "*": { input_per_mtok_minor: -1, output_per_mtok_minor: 1 } } } }],
    ["a fractional price", { openai: { baseUrl: "https://a.example", api: "openai", prices: { "*": { input_per_mtok_minor: 1.5, output_per_mtok_minor: 1 } } } }],
    ["a misspelt price", { openai: { baseUrl: "https://a.example", api: "openai", prices: { "*": { input: 1, output_per_mtok_minor: 1 } } } }],
  ])("refuses %s", (_name, value) => {
    expect(() => providers(value)).toThrow(ConfigError);
  });

  it("reads a price list per model, with * for the rest", () => {
    const prices = { "gpt-4.1": { input_per_mtok_minor: 200, output_per_mtok_minor: 800 }, "*": { input_per_mtok_minor: 10, output_per_mtok_minor: 40 } };
    expect(providers({ openai: { baseUrl: "https://api.openai.com/v1", api: "openai", prices } })).toEqual({ openai: { baseUrl: "https://api.openai.com/v1", api: "openai", prices } });
  });
});

describe("GATEWAY_CHAIN_COMMIT", () => {
  it("is async unless sync is asked for", () => {
    expect(loadConfig(base).chainCommit).toBe("async");
    expect(loadConfig({ ...base, GATEWAY_CHAIN_COMMIT: "sync" }).chainCommit).toBe("sync");
  });

  it("refuses anything else", () => {
    expect(() => loadConfig({ ...base, GATEWAY_CHAIN_COMMIT: "off" })).toThrow(/GATEWAY_CHAIN_COMMIT must be one of async, sync/);
  });
});
