// Canonical targets (what approvals pin) and the risk flags an approval card shows.
import { describe, expect, it } from "vitest";
import { normalized, wpcV1, wpcV2 } from "./fixtures.test-support.js";
import { canonicalTarget, riskFlags, type RiskFlag, type SideEffectKind } from "./side-effect.model.js";

describe("canonical targets", () => {
  it.each<[SideEffectKind, string, string | null]>([
    ["network_egress", "https://API.github.com/repos?x=1#frag", "https://api.github.com:443"],
    ["network_egress", "http://mirror.local:3128", "http://mirror.local:3128"],
    ["network_egress", "api.github.com", null],
    ["external_api_write", "https://API.github.com:443/repos/acme/x/issues?draft=1#top", "https://api.github.com/repos/acme/x/issues?draft=1"],
    ["external_api_write", "http://hooks.example:8080/a", "http://hooks.example:8080/a"],
    ["external_api_write", "mailto:a@b", null],
    ["filesystem_write", "./src//a/../b.ts", "src/b.ts"],
    ["filesystem_write", "/etc/../etc/passwd", "/etc/passwd"],
    ["filesystem_write", "/../x", "/x"],
    ["filesystem_write", "../../up", "../../up"],
    ["filesystem_write", "a/..", "."],
    ["filesystem_delete", " tmp/x ", "tmp/x"],
    ["repo_push", "  github.com/acme/x@refs/heads/main ", "github.com/acme/x@refs/heads/main"],
    ["email", "a@acme.com", "a@acme.com"],
    ["chat_message", "slack:#general", "slack:#general"],
    ["email", "", null],
    ["email", "a@acme.com\r\nBcc: x", null],
    ["email", "x".repeat(2049), null],
  ])("%s %j", (kind, target, expected) => {
    expect(canonicalTarget(kind, target)).toBe(expected);
  });
});

describe("risk flags", () => {
  const v1 = normalized(wpcV1);
  const v2 = normalized(wpcV2);
  it.each<[string, Parameters<typeof riskFlags>[0], RiskFlag[]]>([
    ["a named host, read", { kind: "network_egress", target: "https://api.github.com/" }, []],
    ["a host reached through a wildcard", { kind: "network_egress", target: "https://registry.npmjs.org/" }, ["new_domain"]],
    ["a write through the proxy", { kind: "network_egress", target: "https://api.github.com/", method: "post" }, ["external_write"]],
    ["a DELETE", { kind: "network_egress", target: "https://api.github.com/", method: "DELETE" }, ["destructive", "external_write"]],
    ["plaintext", { kind: "network_egress", target: "http://mirror.local:3128/" }, ["plaintext_http"]],
    ["an IP literal", { kind: "network_egress", target: "https://10.1.2.3/" }, ["ip_literal", "new_domain"]],
    ["an API write", { kind: "external_api_write", target: "https://api.github.com/repos/acme/x/issues" }, ["external_write"]],
    ["a push", { kind: "repo_push", target: "github.com/acme/x@refs/heads/a" }, ["external_write"]],
    ["an email", { kind: "email", target: "a@acme.com" }, ["external_write"]],
    ["a source file", { kind: "filesystem_write", target: "src/a.ts" }, []],
    ["a dotenv file", { kind: "filesystem_write", target: "config/.env.production" }, ["secret_path"]],
    ["an ssh key", { kind: "filesystem_write", target: "home/.ssh/id_ed25519" }, ["secret_path"]],
    ["a pem", { kind: "filesystem_write", target: "certs/server.PEM" }, ["secret_path"]],
    ["a secrets folder", { kind: "filesystem_write", target: "deploy/secrets/db.yaml" }, ["secret_path"]],
    ["outside the workspace", { kind: "filesystem_write", target: "/etc/hosts" }, ["outside_workspace"]],
    ["climbing out", { kind: "filesystem_write", target: "src/../../x" }, ["outside_workspace"]],
    ["a delete", { kind: "filesystem_delete", target: "src/a.ts" }, ["destructive"]],
    ["an API write to a secrets path", { kind: "external_api_write", target: "https://vault.example/v1/secrets/db" }, ["external_write", "new_domain", "secret_path"]],
  ])("%s", (_name, input, expected) => {
    expect(riskFlags(input, v1)).toEqual(expected);
  });

  it("new_domain depends on the policy", () => {
    expect(riskFlags({ kind: "network_egress", target: "https://raw.githubusercontent.com/" }, v2)).toEqual(["new_domain"]);
    expect(riskFlags({ kind: "network_egress", target: "https://api.github.com/" }, v2)).toEqual([]);
  });
});
