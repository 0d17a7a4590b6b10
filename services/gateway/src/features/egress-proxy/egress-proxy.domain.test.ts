import { describe, expect, it } from "vitest";
import { blockedAddressKind, connectTarget, endToEndHeaders, forwardTarget, hostHeader, literalAddress, proxyCredential } from "./egress-proxy.domain.js";

const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;

describe("proxy credential", () => {
  it.each([
    [undefined, { kind: "none" }],
    ["  ", { kind: "none" }],
    ["Bearer abc.def.ghi", { kind: "token", token: "abc.def.ghi" }],
    ["bearer abc", { kind: "token", token: "abc" }],
    [basic("run:abc.def.ghi"), { kind: "token", token: "abc.def.ghi" }],
    [basic("abc.def.ghi:"), { kind: "token", token: "abc.def.ghi" }],
    [basic(":"), { kind: "unusable" }],
    ["Digest abc", { kind: "unusable" }],
    ["Bearer", { kind: "unusable" }],
  ])("%s", (header, expected) => {
    expect(proxyCredential(header)).toEqual(expected);
  });
});

describe("destinations", () => {
  it("reads CONNECT authorities as https, canonical hosts, explicit ports only", () => {
    expect(connectTarget("API.Example.test.:443")).toEqual({ scheme: "https", host: "api.example.test", port: 443 });
    expect(connectTarget("[::1]:8443")).toEqual({ scheme: "https", host: "[::1]", port: 8443 });
    expect(connectTarget("2130706433:443")).toEqual({ scheme: "https", host: "127.0.0.1", port: 443 });
    for (const bad of [undefined, "", "example.test", "example.test:", "user@example.test:443", "example.test:443/x", "::1:443", "example.test:123456"]) {
      expect(connectTarget(bad)).toBeNull();
    }
  });

  it("reads absolute-form http requests and refuses origin-form and https", () => {
    expect(forwardTarget("http://Example.test/a?b=1", "GET")).toEqual({ scheme: "http", host: "example.test", port: 80, method: "GET", path: "/a?b=1" });
    expect(forwardTarget("http://0x7f.1:8080", "POST")).toEqual({ scheme: "http", host: "127.0.0.1", port: 8080, method: "POST", path: "/" });
    expect(forwardTarget("/a", "GET")).toBeNull();
    expect(forwardTarget("https://example.test/", "GET")).toBeNull();
    expect(forwardTarget("http://", "GET")).toBeNull();
  });

  it("writes Host without the default port and dials literals without brackets", () => {
    expect(hostHeader({ scheme: "http", host: "a.test", port: 80 })).toBe("a.test");
    expect(hostHeader({ scheme: "http", host: "a.test", port: 8080 })).toBe("a.test:8080");
    expect(literalAddress("[::1]")).toBe("::1");
    expect(literalAddress("10.0.0.1")).toBe("10.0.0.1");
    expect(literalAddress("a.test")).toBeNull();
  });
});

describe("end-to-end headers", () => {
  it("drops hop-by-hop headers, those Connection names, Proxy-Authorization, and pins Host", () => {
    const raw = ["Host", "evil.test", "Proxy-Authorization", "Bearer cst", "Connection", "keep-alive, X-Secret", "X-Secret", "1", "Keep-Alive", "5", "Transfer-Encoding", "chunked", "Accept", "a", "X-Trace", "1", "X-Trace", "2"];
    expect(endToEndHeaders(raw, "good.test")).toEqual(["Host", "good.test", "Accept", "a", "X-Trace", "1", "X-Trace", "2"]);
    expect(endToEndHeaders(["Proxy-Authenticate", "x", "Set-Cookie", "a", "Set-Cookie", "b"])).toEqual(["Set-Cookie", "a", "Set-Cookie", "b"]);
  });
});

describe("blocked addresses", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"],
    ["2002:a00:1::", "private"],
    ["10.1.2.3", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12::1", "private"],
    ["169.254.169.254", "link_local"],
    ["fe80::1", "link_local"],
    ["0.0.0.0", "reserved"],
    ["::", "reserved"],
    ["224.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["not-an-ip", "reserved"],
    ["93.184.216.34", null],
    ["172.32.0.1", null],
    ["2606:4700::1111", null],
    ["64:ff9b::5db8:d822", null],
  ])("%s → %s", (address, kind) => {
    expect(blockedAddressKind(address)).toBe(kind);
  });
});
