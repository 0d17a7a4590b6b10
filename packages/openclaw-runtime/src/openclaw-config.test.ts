import { describe, expect, it } from "vitest";
import { ALWAYS_DENIED_TOOLS, openclawConfig, renderOpenclawConfig, toolRulesFor } from "./openclaw-config.js";

const base = { gatewayBaseUrl: "http://127.0.0.1:18080/v1/", cst: "${CLAWEA_CST}", model: "openai/gpt-4.1", toolsProfile: "coding" } as const;

describe("openclawConfig", () => {
  it("points the only provider at the gateway, with the CST in X-CST and nothing that phones home", () => {
    expect(openclawConfig(base)).toEqual({
      models: {
        mode: "replace",
        providers: {
          clawea: {
            baseUrl: "http://127.0.0.1:18080/v1",
            api: "openai-completions",
            request: { auth: { mode: "header", headerName: "X-CST", value: "${CLAWEA_CST}" } },
            models: [{ id: "openai/gpt-4.1", name: "openai/gpt-4.1" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "clawea/openai/gpt-4.1" }, utilityModel: "" } },
      update: { checkOnStart: false },
      telemetry: { enabled: false },
      tools: { profile: "coding", deny: [...ALWAYS_DENIED_TOOLS], exec: { mode: "deny" } },
    });
  });

  it("adds static headers, model limits, allow and deny lists (deny deduplicated)", () => {
    const config = openclawConfig({ ...base, headers: { "X-Run-Id": "run_1" }, maxOutputTokens: 4096, contextWindow: 128_000, allowTools: ["group:fs", "group:fs"], denyTools: ["group:web", "group:ui"], execMode: "allowlist" });
    expect(config.models.providers["clawea"]?.request.headers).toEqual({ "X-Run-Id": "run_1" });
    expect(config.models.providers["clawea"]?.models).toEqual([{ id: "openai/gpt-4.1", name: "openai/gpt-4.1", maxTokens: 4096, contextWindow: 128_000 }]);
    expect(config.tools).toEqual({ profile: "coding", allow: ["group:fs"], deny: [...ALWAYS_DENIED_TOOLS, "group:web"], exec: { mode: "allowlist" } });
  });

  it("refuses a model without its gateway provider, an empty CST and an unknown profile", () => {
    expect(() => openclawConfig({ ...base, model: "gpt-4.1" })).toThrow(/provider/);
    expect(() => openclawConfig({ ...base, cst: "" })).toThrow(/cst/);
    expect(() => openclawConfig({ ...base, toolsProfile: "everything" as never })).toThrow(/toolsProfile/);
  });

  it("renders JSON (valid JSON5) ending in a newline", () => {
    const text = renderOpenclawConfig(base);
    expect(JSON.parse(text)).toEqual(openclawConfig(base));
    expect(text.endsWith("}\n")).toBe(true);
  });
});

describe("toolRulesFor", () => {
  it("denies web, file changes and the shell when the WPC allows none of them", () => {
    expect(toolRulesFor({ networkEgress: false, filesystemWrite: false })).toEqual({
      denyTools: [...ALWAYS_DENIED_TOOLS, "group:web", "write", "edit", "apply_patch", "group:runtime"],
      execMode: "deny",
    });
  });

  it("keeps web tools only with egress and file-changing tools only with filesystem writes", () => {
    expect(toolRulesFor({ networkEgress: true, filesystemWrite: false }).denyTools).not.toContain("group:web");
    expect(toolRulesFor({ networkEgress: true, filesystemWrite: false }).denyTools).toContain("apply_patch");
    expect(toolRulesFor({ networkEgress: false, filesystemWrite: true }).denyTools).toContain("group:web");
    expect(toolRulesFor({ networkEgress: false, filesystemWrite: true }).denyTools).not.toContain("write");
  });

  it("allows the shell (allowlist mode) only when asked explicitly", () => {
    expect(toolRulesFor({ networkEgress: true, filesystemWrite: true, exec: true })).toEqual({ denyTools: [...ALWAYS_DENIED_TOOLS], execMode: "allowlist" });
  });
});
