/** The OpenAPI document as the routes declare it, and the SDK types generated from it. */
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { createDatabase, keyringFrom } from "@clawea/db";
import { Redis } from "ioredis";
import { keyPairFromSeed } from "@clawea/protocol";
import { buildApp } from "./app.js";

export const SDK_OPENAPI_PATH = fileURLToPath(new URL("../../../packages/sdk/openapi.json", import.meta.url));
export const SDK_TYPES_PATH = fileURLToPath(new URL("../../../packages/sdk/src/api.generated.ts", import.meta.url));

/** Builds the app without connecting anywhere (the pool is lazy) and returns its OpenAPI document. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const database = createDatabase("postgres://unused@127.0.0.1:1/unused", { max: 1 });
  const app = await buildApp({
    db: database.db,
    keyring: keyringFrom(Buffer.alloc(32).toString("base64url")),
    bootstrapKeyHash: Buffer.alloc(32),
    signer: keyPairFromSeed(new Uint8Array(32)),
    redis: new Redis("redis://127.0.0.1:1", { lazyConnect: true }),
    jobsWritten: () => undefined,
    readiness: async () => ({}),
    logger: false,
  });
  await app.ready();
  const document = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  await database.close();
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}

export async function sdkTypesFrom(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return `// Generated from packages/sdk/openapi.json by \`pnpm --filter @clawea/control-plane generate:sdk\`. Do not edit.\n${astToString(ast)}`;
}
