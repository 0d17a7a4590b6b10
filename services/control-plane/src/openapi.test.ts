import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openApiDocument, SDK_OPENAPI_PATH, SDK_TYPES_PATH, sdkTypesFrom } from "./openapi.js";

describe("the SDK", () => {
  it("is generated from the current OpenAPI document (else: pnpm --filter @clawea/control-plane generate:sdk)", async () => {
    const document = await openApiDocument();
    expect(JSON.parse(await readFile(SDK_OPENAPI_PATH, "utf8"))).toEqual(document);
    expect(await readFile(SDK_TYPES_PATH, "utf8")).toBe(await sdkTypesFrom(document));
  });

  it("documents every route with an operation id, and every error as a problem", async () => {
    const document = (await openApiDocument()) as { paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>> };
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith("/v1/")) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain("401");
      }
    }
  });
});
