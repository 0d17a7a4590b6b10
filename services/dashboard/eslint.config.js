// The repository's rules, plus this package's own: the browser bundle imports no Node built-ins and
// no I/O packages (the build fails on them too), and React hooks follow their rules.
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import root from "../../eslint.config.js";

const NODE_ONLY = ["node:*", "fs", "fs/*", "path", "crypto", "http", "https", "net", "child_process", "os", "zlib", "stream", "pg", "ioredis", "bullmq", "fastify", "pino", "@clawea/db", "@clawea/queue", "@clawea/runs"];

export default [
  ...root,
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/**/*.test.{ts,tsx}", "src/**/*.test-support.ts"],
    languageOptions: { globals: globals.browser },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@clawea/*/*"], message: "Import a package through its index (exports map), never its internals." },
            { group: NODE_ONLY, message: "The dashboard runs in a browser: no Node built-ins or server packages." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.test.{ts,tsx}", "src/**/*.test-support.ts", "vite.config.ts"],
    languageOptions: { globals: globals.node },
  },
];
