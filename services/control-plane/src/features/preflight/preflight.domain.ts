/**
 * Preflight's pure part lives in `@clawea/policy` (`scopeIntents`, `decideScope`), shared with the
 * offline CLI so the API and `clawea preflight` can never disagree; this names its types for the API.
 */
import type { Static } from "@sinclair/typebox";
import type { PreflightReport } from "./preflight.schemas.js";

export { decideScope, scopeIntents as intentsOf, type ScopeError } from "@clawea/policy";
export type Report = Static<typeof PreflightReport>;
