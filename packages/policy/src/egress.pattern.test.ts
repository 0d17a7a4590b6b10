// Destination patterns: `[scheme://]host[:port]`, default ports, wildcards; canonical destinations.
import { describe, expect, it } from "vitest";
import { canonicalHost, destinationFromUrl, egressMatches, parseEgressPattern, type Destination } from "./egress.pattern.js";

const https = (host: string, port = 443): Destination => ({ scheme: "https", host, port });
const http = (host: string, port = 80): Destination => ({ scheme: "http", host, port });

describe("egress patterns", () => {
  it.each<[string, Destination, boolean]>([
    ["api.github.com", https("api.github.com"), true],
    ["api.github.com", http("api.github.com"), true],
    ["api.github.com", https("api.github.com", 80), false],
    ["api.github.com", http("api.github.com", 443), false],
    ["API.GitHub.com.", https("api.github.com"), true],
    ["https://api.github.com", http("api.github.com"), false],
    ["http://mirror.local:*", http("mirror.local", 8080), true],
    ["http://mirror.local:*", https("mirror.local", 8080), false],
    ["*.corp.example:8443", https("git.eu.corp.example", 8443), true],
    ["*.corp.example:8443", https("corp.example", 8443), false],
    ["*:443", https("anything.example"), true],
    ["*:443", http("anything.example", 443), true],
    ["*", http("anything.example", 1), true],
    ["10.0.0.5:5432", https("10.0.0.5", 5432), true],
    ["[::1]:8080", http("[::1]", 8080), true],
  ])("%s vs %j = %s", (source, destination, expected) => {
    const pattern = parseEgressPattern(source);
    expect(pattern).not.toBeNull();
    expect(egressMatches(pattern!, destination)).toBe(expected);
  });

  it.each(["https://a.example/path", "a.example:0", "a.example:65536", "ftp://a.example", "user@a.example", "a example", ":443", "src/**/*.ts"])(
    "%s is not a destination pattern",
    (source) => {
      expect(parseEgressPattern(source)).toBeNull();
    },
  );
});

describe("canonical destinations", () => {
  it.each<[string, string | null]>([
    ["API.Example.COM.", "api.example.com"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["under_score.example", "under_score.example"],
    ["[::1]", "[::1]"],
    ["bad host", null],
    ["-leading.example", null],
    ["", null],
    ["a".repeat(254), null],
  ])("host %s", (host, expected) => {
    expect(canonicalHost(host)).toBe(expected);
  });

  it.each<[string, Destination | null]>([
    ["https://Api.Example.com/x?y#z", https("api.example.com")],
    ["http://api.example.com:8080/", http("api.example.com", 8080)],
    ["https://bücher.example/", https("xn--bcher-kva.example")],
    ["https://[::1]:8443/", https("[::1]", 8443)],
    ["https://user:pw@api.example.com/", null],
    ["ftp://api.example.com/", null],
    ["not a url", null],
  ])("URL %s", (url, expected) => {
    expect(destinationFromUrl(url)).toEqual(expected);
  });
});
