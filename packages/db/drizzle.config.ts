import { defineConfig } from "drizzle-kit";

// `pnpm --filter @clawea/db generate` writes a new migration from the schema; review and commit the SQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
});
