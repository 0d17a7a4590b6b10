import { describe, expect, it } from "vitest";
import { displayText, formatCount, formatDuration, formatEstimate, httpUrl, markdownCode, markdownEscape, oneLine, slackCode, slackEscape, truncate } from "./text.format.js";

describe("text formatting", () => {
  it("escapes the three Slack control characters and nothing else", () => {
    expect(slackEscape("<!channel> & <@U1> *b*")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt; *b*");
  });

  it("keeps a Slack code span closed whatever the text holds", () => {
    expect(slackCode("a`b <x>\nc")).toBe("`aˋb &lt;x&gt; c`");
  });

  it("escapes Markdown punctuation and defuses @-mentions", () => {
    expect(markdownEscape("[x](https://e.example) @octocat #1 *")).toBe("\\[x\\]\\(https\\:\\/\\/e\\.example\\) @\u200boctocat \\#1 \\*");
  });

  it("fences a Markdown code span with more backticks than it holds", () => {
    expect(markdownCode("a``b")).toBe("```a``b```");
    expect(markdownCode("`x")).toBe("`` `x ``");
    expect(markdownCode("plain")).toBe("`plain`");
  });

  it("truncates with an ellipsis, never splitting a surrogate pair", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 3)).toBe("abc");
    const cut = truncate("ab😀cd", 4);
    expect(cut).toBe("ab…");
    expect(/[\ud800-\udfff]/.test(cut)).toBe(false);
  });

  it("removes controls and bidi overrides, and folds lines when asked", () => {
    expect(displayText("ok\u202Emoc.live\u0007\r\nnext")).toBe("okmoc.live\nnext");
    expect(oneLine(" a \n\t b ")).toBe("a b");
  });

  it.each([
    [0, "0 seconds"],
    [45, "45 seconds"],
    [60, "1 minute"],
    [3600, "1 hour"],
    [5400, "1 hour 30 minutes"],
    [86_400 + 1, "1 day"],
    [2 * 86_400 + 7200, "2 days 2 hours"],
  ])("formats %d seconds as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("formats counts and estimates without a locale", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(999)).toBe("999");
    expect(formatEstimate({ tokens: 12_000, cost_minor: 40, duration_ms: 90_000 })).toBe("12,000 tokens · cost 40 (minor currency units) · about 1 minute 30 seconds");
  });

  it("accepts only absolute http(s) URLs as links", () => {
    expect(httpUrl("https://clawea.example/runs/1")).toBe("https://clawea.example/runs/1");
    expect(httpUrl("javascript:alert(1)")).toBeNull();
    expect(httpUrl("/runs/1")).toBeNull();
    expect(httpUrl(undefined)).toBeNull();
  });
});
