/** Cursor pagination: ids are time-ordered, so the cursor is the last id seen and pages run newest first. */
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { ApiError } from "./problem.js";

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "`next_cursor` of the previous page." })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

export function Page<T extends TSchema>(item: T, name: string) {
  return Type.Object(
    { items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) },
    { $id: `${name}Page`, additionalProperties: false },
  );
}

export function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[a-z]{3}_[0-9a-f]{32}$|^[A-Za-z0-9_.:-]{1,200}$/.test(key)) throw new ApiError("VALIDATION_FAILED", "cursor is not one this API issued");
  return key;
}

/** Fetch `limit + 1` rows; this trims them to a page and derives the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, render: (row: R) => T) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(render), next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
