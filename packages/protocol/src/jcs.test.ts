import { describe, expect, it } from "vitest";
import { canonicalCopy, canonicalize } from "./jcs.js";
import { ProtocolError } from "./errors.js";

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe("canonicalize (RFC 8785)", () => {
  it("reproduces the RFC's section 3.2.2 example", () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalize(JSON.parse(input))).toBe(expected);
  });

  it("orders keys by UTF-16 code units (RFC 8785 section 3.2.3)", () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    // Read the order off the text: JS objects list integer-like keys first, whatever the text says.
    const order = [...canonicalize(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face",
      "Hebrew Letter Dalet With Dagesh",
    ]);
  });

  // RFC 8785 Appendix B: IEEE-754 bit patterns and their serialisation.
  const numbers: [string, string][] = [
    ["0000000000000000", "0"],
    ["8000000000000000", "0"],
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ];
  it.each(numbers)("serialises the double %s as %s", (bits, text) => {
    expect(canonicalize(fromBits(bits))).toBe(text);
  });

  it.each([
    ["NaN", fromBits("7fffffffffffffff")],
    ["Infinity", fromBits("7ff0000000000000")],
    ["-Infinity", -Infinity],
    ["undefined", undefined],
    ["undefined member", { a: undefined }],
    ["function", () => 1],
    ["bigint", 1n],
    ["symbol", Symbol("s")],
    ["Date", new Date(0)],
    ["Map", new Map()],
    ["lone high surrogate", "\ud83d"],
    ["lone low surrogate key", { "\ude00": 1 }],
    ["sparse array", Object.assign(new Array<number>(3), { 0: 1, 2: 3 })],
  ])("rejects %s", (_name, value) => {
    expect(() => canonicalize(value)).toThrow(ProtocolError);
    try {
      canonicalize(value);
    } catch (error) {
      expect((error as ProtocolError).code).toBe("CANONICALIZATION_FAILED");
    }
  });

  it.each([
    [{ a: { b: [1, Number.NaN] } }, "$.a.b[1]", "non-finite number"],
    [{ z: 1, a: [{ k: undefined }] }, "$.a[0].k", "undefined is not JSON"],
    [{ b: "\ud83d", a: new Date(0) }, "$.a", "not a plain object"],
    [[0, { "\ude00": 1 }], "$[1]", "string holds a lone UTF-16 surrogate"],
  ])("names where the first thing it rejects is (%j)", (value, path, message) => {
    try {
      canonicalize(value);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: "CANONICALIZATION_FAILED", path, message });
    }
  });

  it("accepts objects without a prototype and nested structures", () => {
    const bare = Object.assign(Object.create(null) as object, { b: [1, { d: 2, c: "x" }], a: true });
    expect(canonicalize(bare)).toBe('{"a":true,"b":[1,{"c":"x","d":2}]}');
  });

  it("canonicalCopy makes JSON.stringify agree with JCS", () => {
    const value = { z: 1, a: { y: [3, { q: 1, b: 2 }], b: null } };
    expect(JSON.stringify(canonicalCopy(value))).toBe(canonicalize(value));
  });
});
