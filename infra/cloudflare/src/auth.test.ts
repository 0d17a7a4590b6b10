import { describe, expect, it } from "vitest";
import { bearerMatches } from "./auth.js";

describe("bearerMatches", () => {
  it("accepts exactly `Bearer <token>`", async () => {
    expect(await bearerMatches("Bearer s3cret-token", "s3cret-token")).toBe(true);
  });

  it("refuses a wrong, partial, longer, differently-cased or missing token", async () => {
    for (const header of ["Bearer s3cret-tokem", "Bearer s3cret", "Bearer s3cret-token2", "bearer s3cret-token", "s3cret-token", "Bearer ", null]) {
      expect(await bearerMatches(header, "s3cret-token")).toBe(false);
    }
  });

  it("refuses everyone when the Worker has no token configured", async () => {
    expect(await bearerMatches("Bearer ", "")).toBe(false);
    expect(await bearerMatches("Bearer anything", undefined)).toBe(false);
  });
});
