import { describe, expect, it } from "vitest";
import { base64urlnopad } from "@scure/base";
import { b64uDecode, b64uEncode, base58btcDecode, base58btcEncode, isB64u } from "./encoding.js";
import { sha256B64u } from "./hash.js";

describe("base64url", () => {
  it("encodes without padding, URL alphabet (RFC 4648 section 10 vectors)", () => {
    const cases: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
    for (const [plain, encoded] of cases) {
      expect(b64uEncode(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(b64uDecode(encoded))).toBe(plain);
    }
    expect(b64uEncode(Uint8Array.from([0xfb, 0xff]))).toBe("-_8");
  });

  it("encodes as the browser build does, views into larger buffers included", () => {
    const backing = new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff);
    for (let length = 0; length < 70; length++) {
      const view = backing.subarray(length, length * 3);
      expect(b64uEncode(view)).toBe(base64urlnopad.encode(view));
    }
  });

  it("rejects padding, the standard alphabet and non-canonical tails", () => {
    for (const bad of ["Zg==", "+/8", "Zh", "Z"]) expect(() => b64uDecode(bad)).toThrow();
    expect(isB64u("abc-_")).toBe(true);
    expect(isB64u("a=")).toBe(false);
  });

  it("hashes the SHA-256 of 'abc' to the FIPS 180-2 digest", () => {
    expect(Buffer.from(b64uDecode(sha256B64u("abc"))).toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("base58btc", () => {
  it("round-trips the draft-msporny-base58 examples", () => {
    expect(base58btcEncode(new TextEncoder().encode("Hello World!"))).toBe("2NEpo7TZRRrLZSi2U");
    expect(base58btcEncode(new TextEncoder().encode("The quick brown fox jumps over the lazy dog."))).toBe(
      "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    );
    expect(base58btcEncode(Uint8Array.from([0, 0, 0x28, 0x7f, 0xb4, 0xcd]))).toBe("11233QC4");
    expect(Array.from(base58btcDecode("11233QC4"))).toEqual([0, 0, 0x28, 0x7f, 0xb4, 0xcd]);
  });

  it("rejects characters outside the alphabet", () => {
    expect(() => base58btcDecode("0OIl")).toThrow();
  });
});
