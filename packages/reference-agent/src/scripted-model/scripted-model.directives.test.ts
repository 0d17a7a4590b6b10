import { describe, expect, it } from "vitest";
import { describeToolCall, directiveToolCall, parseDirectives } from "./scripted-model.directives.js";

describe("parseDirectives", () => {
  it("reads the documented example in order and ignores prose", () => {
    const task = [
      "Please tidy up and tell the team.",
      "write notes/hello.txt: Hello from clawea",
      "  http POST https://api.example.com/notify {\"text\":\"done\"}  ",
      "Thanks!",
      "delete old.txt",
    ].join("\n");
    expect(parseDirectives(task)).toEqual([
      { kind: "write", path: "notes/hello.txt", content: "Hello from clawea" },
      { kind: "http", method: "POST", url: "https://api.example.com/notify", body: '{"text":"done"}' },
      { kind: "delete", path: "old.txt" },
    ]);
  });

  it("decodes a JSON-string content and keeps other content as written", () => {
    expect(parseDirectives('write a.txt: "line 1\\nline 2"\r\nwrite b.txt: "not closed\nwrite c.txt:')).toEqual([
      { kind: "write", path: "a.txt", content: "line 1\nline 2" },
      { kind: "write", path: "b.txt", content: '"not closed' },
      { kind: "write", path: "c.txt", content: "" },
    ]);
  });

  it("knows read, list (with or without a folder), http without a body, and finish", () => {
    expect(parseDirectives("read a.txt\nlist\nlist notes\nhttp get http://example.com/x\nfinish: All good.\nwrite late.txt: ignored")).toEqual([
      { kind: "read", path: "a.txt" },
      { kind: "list" },
      { kind: "list", path: "notes" },
      { kind: "http", method: "GET", url: "http://example.com/x" },
      { kind: "finish", summary: "All good." },
    ]);
  });

  it("treats near misses as prose", () => {
    const prose = [
      "Write notes/a.txt: capitalised keyword",
      "write a poem: paths have no spaces",
      "read the docs",
      "delete",
      "http GET not-a-url",
      "http GET ftp://example.com/file",
      "finish the report by Friday",
      "listing files",
    ];
    expect(parseDirectives(prose.join("\n"))).toEqual([]);
  });
});

describe("directiveToolCall", () => {
  it("maps each directive to the agent's tool and its arguments", () => {
    expect(directiveToolCall({ kind: "write", path: "a", content: "b" })).toEqual({ name: "write_file", arguments: { path: "a", content: "b" } });
    expect(directiveToolCall({ kind: "read", path: "a" })).toEqual({ name: "read_file", arguments: { path: "a" } });
    expect(directiveToolCall({ kind: "list" })).toEqual({ name: "list_files", arguments: {} });
    expect(directiveToolCall({ kind: "delete", path: "a" })).toEqual({ name: "delete_file", arguments: { path: "a" } });
    expect(directiveToolCall({ kind: "finish", summary: "s" })).toEqual({ name: "finish", arguments: { summary: "s" } });
    expect(directiveToolCall({ kind: "http", method: "POST", url: "https://x.test/", body: '{"a":1}' })).toEqual({
      name: "http_request",
      arguments: { method: "POST", url: "https://x.test/", headers: { "content-type": "application/json" }, body: '{"a":1}' },
    });
    expect(directiveToolCall({ kind: "http", method: "POST", url: "https://x.test/", body: "plain" }).arguments["headers"]).toEqual({ "content-type": "text/plain; charset=utf-8" });
  });

  it("labels tool calls for summaries", () => {
    expect(describeToolCall("http_request", { method: "post", url: "https://x.test/" })).toBe("http POST https://x.test/");
    expect(describeToolCall("write_file", { path: "a.txt" })).toBe("write a.txt");
    expect(describeToolCall("list_files", {})).toBe("list");
    expect(describeToolCall("mystery", null)).toBe("mystery");
  });
});
