import { describe, expect, it } from "vitest";
import { clearToken, keyIdOf, loadToken, saveToken } from "./token-store.js";

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
}

describe("the signed-in key", () => {
  it("is kept, read back and forgotten", () => {
    const storage = memoryStorage();
    expect(loadToken(storage)).toBeNull();
    saveToken("key_0123.secret", storage);
    expect(loadToken(storage)).toBe("key_0123.secret");
    clearToken(storage);
    expect(loadToken(storage)).toBeNull();
    saveToken("   ", storage);
    expect(loadToken(storage)).toBeNull();
  });

  it("shows only the key id, never the secret", () => {
    expect(keyIdOf("key_0123abcd.s3cr3t")).toBe("key_0123abcd");
  });
});
