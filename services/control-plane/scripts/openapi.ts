/** Writes the OpenAPI document and regenerates the typed SDK from it: `pnpm --filter @clawea/control-plane generate:sdk`. */
import { writeFile } from "node:fs/promises";
import { openApiDocument, SDK_OPENAPI_PATH, SDK_TYPES_PATH, sdkTypesFrom } from "../src/openapi.js";

const document = await openApiDocument();
await writeFile(SDK_OPENAPI_PATH, `${JSON.stringify(document, null, 2)}\n`);
await writeFile(SDK_TYPES_PATH, await sdkTypesFrom(document));
process.stdout.write(`wrote ${SDK_OPENAPI_PATH} and ${SDK_TYPES_PATH}\n`);
