// The repository's rules, plus this package's own seam: card builders, callback verifiers and their
// helpers are pure (no network, no env, no clock); only the *.sender.ts and send.dispatch.ts files do I/O.
import root from "../../eslint.config.js";

const VENDOR_CLIENTS = ["@slack/web-api", "@octokit/rest", "undici", "node:http", "node:https", "http", "https", "node:net", "net", "node:fs", "fs"];

export default [
  ...root,
  {
    files: ["src/**/*.{card,callback,model,format,crypto,peek}.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: VENDOR_CLIENTS.map((name) => ({ name, allowTypeImports: true, message: "Builders and verifiers do no I/O: only the *.sender.ts files talk to vendors." })),
          patterns: [{ group: ["@clawea/*/*"], message: "Import a package through its index (exports map), never its internals." }],
        },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "Pure code reads no env." }, { name: "fetch", message: "Pure code does no network I/O." }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Pure code takes time as an argument." }],
    },
  },
];
