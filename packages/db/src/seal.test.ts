import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyringFrom, seal, sealBinding, SealError, unseal } from "./seal.js";

const keyring = keyringFrom(randomBytes(32).toString("base64url"));

describe("seal", () => {
  it("round-trips under the same binding and hides the plaintext", () => {
    const sealed = seal(keyring, "sk-live-123", sealBinding.secret("ten_a", "openai"));
    expect(sealed).not.toContain("sk-live");
    expect(unseal(keyring, sealed, sealBinding.secret("ten_a", "openai")).toString()).toBe("sk-live-123");
    expect(seal(keyring, "sk-live-123", sealBinding.secret("ten_a", "openai"))).not.toBe(sealed);
  });

  it("refuses another binding, another key, a flipped bit, an unknown version", () => {
    const sealed = seal(keyring, "v", sealBinding.secret("ten_a", "n"));
    expect(() => unseal(keyring, sealed, sealBinding.secret("ten_b", "n"))).toThrow(SealError);
    expect(() => unseal(keyringFrom(randomBytes(32).toString("base64url")), sealed, sealBinding.secret("ten_a", "n"))).toThrow(SealError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    expect(() => unseal(keyring, [...parts.slice(0, 3), body.toString("base64url")].join("."), sealBinding.secret("ten_a", "n"))).toThrow(SealError);
    expect(() => unseal(keyring, sealed.replace(/^v1\.1/, "v1.9"), sealBinding.secret("ten_a", "n"))).toThrow(SealError);
    expect(() => keyringFrom("short")).toThrow(SealError);
  });
});
