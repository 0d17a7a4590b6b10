/**
 * Paging through a cursor API: the server hands out `next_cursor` and never a "previous" one, so the
 * cursors that led to each page are kept on a stack. Page 1 is the `null` cursor. Immutable values.
 */
export interface CursorStack {
  /** The cursor of every page visited, page 1 (`null`) first; the last is the current page's. */
  readonly cursors: readonly (string | null)[];
}

export const firstPage: CursorStack = { cursors: [null] };

export function currentCursor(stack: CursorStack): string | null {
  return stack.cursors[stack.cursors.length - 1] ?? null;
}

/** 1-based number of the current page. */
export function pageNumber(stack: CursorStack): number {
  return stack.cursors.length;
}

export function hasPrevious(stack: CursorStack): boolean {
  return stack.cursors.length > 1;
}

/** The page after the current one, reached with the `next_cursor` the current page answered. */
export function nextPage(stack: CursorStack, nextCursor: string): CursorStack {
  return { cursors: [...stack.cursors, nextCursor] };
}

export function previousPage(stack: CursorStack): CursorStack {
  return hasPrevious(stack) ? { cursors: stack.cursors.slice(0, -1) } : stack;
}
