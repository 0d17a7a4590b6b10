// Lint rules that carry architecture: pure packages stay pure, packages never
// reach into services, nobody deep-imports another package's internals.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const IO_MODULES = [
  "pg", "drizzle-orm", "drizzle-orm/*", "ioredis", "bullmq", "fastify", "fastify/*", "@fastify/*", "pino",
  "node:fs", "node:fs/promises", "fs", "fs/promises", "node:net", "net", "node:http", "http", "node:https",
  "https", "node:child_process", "child_process", "node:dgram", "node:dns", "undici",
];

const noDeepImports = {
  group: ["@clawea/*/*"],
  message: "Import a package through its index (exports map), never its internals.",
};

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [noDeepImports] }],
    },
  },
  {
    files: ["packages/{protocol,policy,verify,schema}/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: IO_MODULES.filter((m) => !m.includes("*")).map((name) => ({
            name,
            message: "Pure packages do no I/O: take data and time as arguments.",
          })),
          patterns: [
            noDeepImports,
            { group: IO_MODULES.filter((m) => m.includes("*")), message: "Pure packages do no I/O." },
            { group: ["@clawea/db", "@clawea/queue", "@clawea/control-plane", "@clawea/data-plane", "@clawea/gateway"], message: "Pure packages depend only on pure packages." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "Pure packages read no env." }, { name: "fetch", message: "Pure packages do no network I/O." }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Pure packages take time as an argument." }],
    },
  },
);
