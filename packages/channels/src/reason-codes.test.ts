// Every code this package answers with is in the one registry, retryable exactly when trying again can help.
import { REASON_CODES } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import { deliveryCodeFor } from "./delivery.errors.js";

describe("channel reason codes", () => {
  it.each([
    ["CHANNEL_SIGNATURE_INVALID", 400, false],
    ["CHANNEL_REQUEST_STALE", 400, false],
    ["CHANNEL_PAYLOAD_INVALID", 400, false],
    ["CHANNEL_DELIVERY_FAILED", 502, true],
    ["CHANNEL_RATE_LIMITED", 429, true],
    ["CHANNEL_DELIVERY_REJECTED", 424, false],
    ["CHANNEL_NOT_CONFIGURED", 422, false],
  ] as const)("%s is registered as %d, retryable %s", (code, status, retryable) => {
    expect(REASON_CODES[code]).toMatchObject({ status, retryable });
  });

  it.each([
    [null, "CHANNEL_DELIVERY_FAILED"],
    [500, "CHANNEL_DELIVERY_FAILED"],
    [503, "CHANNEL_DELIVERY_FAILED"],
    [408, "CHANNEL_DELIVERY_FAILED"],
    [429, "CHANNEL_RATE_LIMITED"],
    [400, "CHANNEL_DELIVERY_REJECTED"],
    [401, "CHANNEL_DELIVERY_REJECTED"],
    [404, "CHANNEL_DELIVERY_REJECTED"],
    [302, "CHANNEL_DELIVERY_REJECTED"],
  ] as const)("a vendor status %s is %s", (status, code) => {
    expect(deliveryCodeFor(status)).toBe(code);
  });
});
