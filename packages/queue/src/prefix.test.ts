import { describe, expect, it } from "vitest";
import { DEFAULT_QUEUE_PREFIX, queuePrefixOf } from "./prefix.js";

describe("queuePrefixOf", () => {
  it("defaults to BullMQ's own prefix and keeps a usable one", () => {
    expect(queuePrefixOf(undefined)).toBe(DEFAULT_QUEUE_PREFIX);
    expect(queuePrefixOf("")).toBe(DEFAULT_QUEUE_PREFIX);
    expect(queuePrefixOf("clawea_e2e_12.a-b")).toBe("clawea_e2e_12.a-b");
  });
  it("refuses what would split or collide with other keys", () => {
    expect(queuePrefixOf("a:b")).toBeNull();
    expect(queuePrefixOf("x".repeat(65))).toBeNull();
  });
});
