/** API shapes for the usage report. */
import { Type } from "@sinclair/typebox";
import { USAGE_KINDS, type UsageKind as UsageKindName } from "@clawea/db";

export const USAGE_GROUPINGS = ["agent", "template", "day"] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export const UsageQuery = Type.Object(
  {
    from: Type.String({ format: "date-time", description: "Inclusive start." }),
    to: Type.String({ format: "date-time", description: "Exclusive end; at most 366 days after `from`." }),
    group_by: Type.Unsafe<UsageGrouping>({ type: "string", enum: [...USAGE_GROUPINGS], default: "day" }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: "Rows per page (JSON only; CSV is always the whole report)." })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "`next_cursor` of the previous page." })),
    format: Type.Optional(
      Type.Unsafe<"json" | "csv">({ type: "string", enum: ["json", "csv"], description: "Overrides the Accept header: `csv` answers text/csv." }),
    ),
  },
  { additionalProperties: false },
);

export const UsageRow = Type.Object(
  {
    group: Type.Union([Type.String(), Type.Null()], { description: "Agent id, template id or UTC day (YYYY-MM-DD); null for events without one." }),
    kind: Type.Unsafe<UsageKindName>({ type: "string", enum: [...USAGE_KINDS] }),
    model: Type.Union([Type.String(), Type.Null()]),
    quantity: Type.Number(),
  },
  { $id: "UsageRow", additionalProperties: false },
);

export const UsageReport = Type.Object(
  {
    from: Type.String({ format: "date-time" }),
    to: Type.String({ format: "date-time" }),
    group_by: Type.Unsafe<UsageGrouping>({ type: "string", enum: [...USAGE_GROUPINGS] }),
    rows: Type.Array(UsageRow),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: "UsageReport", additionalProperties: false },
);
