import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from "node:crypto";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { PROTOCOL_CRYPTO } from "../../vite.config.js";
import * as browser from "./protocol-crypto.browser.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const nodeKey = (seed: Uint8Array) => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
const nodePublic = (seed: Uint8Array) => new Uint8Array(createPublicKey(nodeKey(seed)).export({ format: "der", type: "spki" }).subarray(12));

describe("the browser twin of @clawea/protocol's crypto module", () => {
  it("exports exactly what the node module exports", async () => {
    // Imported by file URL, past Vite's resolver: its plugin swaps this very module for the browser twin.
    const original = (await import(/* @vite-ignore */ pathToFileURL(PROTOCOL_CRYPTO).href)) as Record<string, unknown>;
    expect(Object.keys(browser).sort()).toEqual(Object.keys(original).sort());
  });

  it("hashes bytes and UTF-8 text like node:crypto", () => {
    expect(hex(browser.sha256("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (const input of ["", "é ✓ 𝄞", randomBytes(1000)]) expect(hex(browser.sha256(input))).toBe(createHash("sha256").update(input).digest("hex"));
    const [left, right] = [randomBytes(32), randomBytes(32)];
    expect(hex(browser.sha256Pair(left, right))).toBe(createHash("sha256").update(left).update(right).digest("hex"));
    // Digests whose base64 holds "+", "/" and padding: all three must come out base64url.
    for (let i = 0; i < 50; i++) {
      const input = randomBytes(40);
      expect(browser.sha256Base64url(input)).toBe(createHash("sha256").update(input).digest("base64url"));
    }
    expect(browser.sha256Base64url("abc")).toBe(createHash("sha256").update("abc").digest("base64url"));
  });

  it("signs and verifies RFC 8032 test 2, and agrees with node:crypto both ways", () => {
    const seed = Buffer.from("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "hex");
    const message = Buffer.from("72", "hex");
    expect(hex(browser.ed25519PublicFromSeed(seed))).toBe("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    const signature = browser.ed25519Sign(seed, message);
    expect(hex(signature)).toBe(
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    );
    for (let i = 0; i < 5; i++) {
      const pair = browser.ed25519Generate();
      const text = randomBytes(64);
      expect(hex(nodePublic(pair.privateKey))).toBe(hex(pair.publicKey));
      const bySelf = browser.ed25519Sign(pair.privateKey, text);
      expect(hex(bySelf)).toBe(hex(sign(null, text, nodeKey(pair.privateKey))));
      expect(verify(null, text, createPublicKey(nodeKey(pair.privateKey)), bySelf)).toBe(true);
      expect(browser.ed25519Verify(pair.publicKey, text, new Uint8Array(sign(null, text, nodeKey(pair.privateKey))))).toBe(true);
    }
  });

  it("refuses tampered messages, signatures and malformed keys without throwing", () => {
    const { publicKey, privateKey } = browser.ed25519Generate();
    const message = new TextEncoder().encode("approve run_1");
    const signature = browser.ed25519Sign(privateKey, message);
    expect(browser.ed25519Verify(publicKey, message, signature)).toBe(true);
    expect(browser.ed25519Verify(publicKey, new TextEncoder().encode("approve run_2"), signature)).toBe(false);
    const flipped = signature.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(browser.ed25519Verify(publicKey, message, flipped)).toBe(false);
    expect(browser.ed25519Verify(publicKey.subarray(0, 31), message, signature)).toBe(false);
    expect(browser.ed25519Verify(publicKey, message, signature.subarray(0, 63))).toBe(false);
    expect(browser.ed25519Verify(new Uint8Array(32).fill(0xff), message, signature)).toBe(false);
  });
});
