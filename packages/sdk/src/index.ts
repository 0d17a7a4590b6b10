/** @clawea/sdk: a typed client generated from the control plane's OpenAPI document. */
export { ClaweaApiError, createClaweaClient, unwrap, type ClaweaClient, type ClientOptions } from "./client.js";
export type { components, operations, paths } from "./api.generated.js";
