/// <reference types="vitest/config" />
// Builds the dashboard for /dashboard/ and runs its vitest suite. Two plugins keep the browser bundle
// honest: the protocol's node:crypto module is replaced by its @noble twin, and any other Node
// built-in that reaches the bundle fails the build instead of becoming a runtime error.
import { builtinModules } from "node:module";
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
/** `@clawea/protocol`'s crypto module, as Vite resolves it (symlinks followed). */
export const PROTOCOL_CRYPTO = realpathSync(join(here, "node_modules/@clawea/protocol/dist/crypto.js"));
const BROWSER_CRYPTO = join(here, "src/verify/protocol-crypto.browser.ts");

function protocolBrowserCrypto(): Plugin {
  return {
    name: "clawea:protocol-browser-crypto",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!importer || !source.endsWith("crypto.js")) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === PROTOCOL_CRYPTO ? BROWSER_CRYPTO : null;
    },
  };
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

function noNodeBuiltins(): Plugin {
  return {
    name: "clawea:no-node-builtins",
    apply: "build",
    enforce: "pre",
    resolveId(source, importer) {
      if (NODE_BUILTINS.has(source)) this.error(`${importer ?? "an entry"} imports the Node built-in "${source}", which does not exist in a browser`);
      return null;
    },
  };
}

export default defineConfig({
  base: "/dashboard/",
  plugins: [protocolBrowserCrypto(), noNodeBuiltins()],
  esbuild: { jsx: "automatic" },
  // `pnpm dev`: the app calls the API on its own origin, so the dev server forwards /v1 to a control plane.
  server: { proxy: { "/v1": process.env.CLAWEA_API_URL ?? "http://127.0.0.1:8080" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      onwarn(warning, warn) {
        // @scure/base places /* @__PURE__ */ where Rollup cannot use it; harmless, and not ours to fix.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("/node_modules/")) return;
        warn(warning);
      },
    },
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
    // The browser test waits on a real platform: pages load and runs move in seconds, not milliseconds.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
