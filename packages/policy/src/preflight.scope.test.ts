// The scope a CI job states, as the requests `decide` judges, and the report of the answer.
import { describe, expect, it } from "vitest";
import { NOW, normalized, wpcV2 } from "./fixtures.test-support.js";
import { decideScope, scopeIntents } from "./preflight.scope.js";

describe("scopeIntents", () => {
  it("maps every list in document order, with egress from a URL or from its parts", () => {
    const mapped = scopeIntents({
      model_calls: [{ provider: "anthropic", model: "claude-sonnet-4" }],
      egress: [{ url: "https://api.github.com/repos" }, { scheme: "http", host: "mirror.local" }],
      side_effects: [{ kind: "filesystem_write", target: "src/a.ts" }],
    });
    expect(mapped.ok && mapped.intents.map((i) => [i.path, i.request])).toEqual([
      ["/model_calls/0", { type: "model_call", provider: "anthropic", model: "claude-sonnet-4" }],
      ["/egress/0", { type: "egress", scheme: "https", host: "api.github.com", port: 443 }],
      ["/egress/1", { type: "egress", scheme: "http", host: "mirror.local", port: 80 }],
      ["/side_effects/0", { type: "side_effect", kind: "filesystem_write", target: "src/a.ts" }],
    ]);
  });

  it.each([
    ["not a URL", "api.github.com", "url is not an absolute URL"],
    ["not http(s)", "ftp://api.github.com", "url must be http or https"],
    ["with credentials", "https://u:p@api.github.com", "url must not carry credentials"],
  ])("refuses an egress URL %s", (_name, url, message) => {
    expect(scopeIntents({ egress: [{ url }] })).toEqual({ ok: false, errors: [{ path: "/egress/0", message }] });
  });
});

describe("decideScope", () => {
  const policy = normalized(wpcV2);
  it("reports each intent's decision and the denials' codes", () => {
    const mapped = scopeIntents({ egress: [{ url: "https://api.github.com" }, { url: "https://pastebin.com" }], side_effects: [{ kind: "filesystem_write", target: ".env" }] });
    const outcome = mapped.ok ? decideScope(policy, mapped.intents, NOW) : null;
    expect(outcome).toMatchObject({
      ok: true,
      report: {
        allowed: false,
        reason_codes: ["POLICY_EGRESS_DENIED", "POLICY_SIDE_EFFECT_DENIED"],
        policy_hash_b64u: policy.policy_hash_b64u,
        evaluated_at: NOW,
        decisions: [
          { scope_path: "/egress/0", type: "egress", target: "https://api.github.com:443", effect: "allow" },
          { scope_path: "/egress/1", effect: "deny", reason_code: "POLICY_EGRESS_DENIED" },
          { scope_path: "/side_effects/0", kind: "filesystem_write", target: ".env", effect: "deny", reason_code: "POLICY_SIDE_EFFECT_DENIED" },
        ],
      },
    });
  });

  it("calls a request the decision function finds malformed an error of the scope, not a denial", () => {
    const mapped = scopeIntents({ side_effects: [{ kind: "teleport", target: "mars" }] });
    expect(mapped.ok && decideScope(policy, mapped.intents, NOW)).toMatchObject({ ok: false, errors: [{ path: "/side_effects/0" }] });
  });
});
