import { describe, expect, it } from "vitest";
import { isId, newId } from "./ids.js";

describe("ids", () => {
  it("are prefixed, well-formed and ordered by creation", () => {
    const ids = Array.from({ length: 50 }, () => newId("agent"));
    expect(ids.every((id) => isId("agent", id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(isId("tenant", ids[0]!)).toBe(false);
    expect(isId("agent", "agt_xyz")).toBe(false);
  });
});
