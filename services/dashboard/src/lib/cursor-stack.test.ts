import { describe, expect, it } from "vitest";
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from "./cursor-stack.js";

describe("cursor stack", () => {
  it("starts on page 1 with no cursor and nothing before it", () => {
    expect(currentCursor(firstPage)).toBeNull();
    expect(pageNumber(firstPage)).toBe(1);
    expect(hasPrevious(firstPage)).toBe(false);
    expect(previousPage(firstPage)).toBe(firstPage);
  });

  it("goes forward with each next_cursor and back to exactly the cursors that led there", () => {
    const two = nextPage(firstPage, "c2");
    const three = nextPage(two, "c3");
    expect([currentCursor(three), pageNumber(three)]).toEqual(["c3", 3]);
    const back = previousPage(three);
    expect([currentCursor(back), pageNumber(back)]).toEqual(["c2", 2]);
    expect(currentCursor(previousPage(back))).toBeNull();
    // Values are not mutated: the earlier stacks still describe their own pages.
    expect(currentCursor(two)).toBe("c2");
    expect(firstPage.cursors).toEqual([null]);
  });
});
