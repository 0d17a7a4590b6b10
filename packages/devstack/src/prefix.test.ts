import { describe, expect, it } from "vitest";
import { createLinePrefixer } from "./prefix.js";

describe("createLinePrefixer", () => {
  it("prefixes whole lines and holds a partial line until it ends", () => {
    const out: string[] = [];
    const p = createLinePrefixer("[gateway]", (t) => out.push(t));
    p.push("one\ntw");
    expect(out).toEqual(["[gateway] one\n"]);
    p.push("o\r\nthree\nfo");
    expect(out.join("")).toBe("[gateway] one\n[gateway] two\n[gateway] three\n");
    p.flush();
    expect(out.join("")).toBe("[gateway] one\n[gateway] two\n[gateway] three\n[gateway] fo\n");
    p.flush();
    expect(out).toHaveLength(3); // a second flush writes nothing
  });
  it("keeps empty lines", () => {
    const out: string[] = [];
    createLinePrefixer("[x]", (t) => out.push(t)).push("\n\n");
    expect(out.join("")).toBe("[x] \n[x] \n");
  });
});
