/** The whole database schema, one file per aggregate. */
export * from "./tenants.schema.js";
export * from "./templates.schema.js";
export * from "./agents.schema.js";
export * from "./policies.schema.js";
export * from "./secrets.schema.js";
export * from "./usage.schema.js";
export * from "./outbox.schema.js";
export * from "./idempotency.schema.js";
export * from "./gateway.schema.js";
export * from "./runs.schema.js";
export * from "./log.schema.js";
