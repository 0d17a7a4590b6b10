/** @clawea/policy: WPC model and hash, the one decision function, plans and scopes, CSTs. No I/O, no clock, no env. */
export {
  MODEL_IDENTITY_TIERS,
  normalizePolicy,
  policyHash,
  type Budget,
  type ModelIdentityTier,
  type NormalizeOptions,
  type NormalizeReasonCode,
  type NormalizeResult,
  type Policy,
  type PolicyLayer,
  type RedactionRule,
  type WorkPolicyContract,
} from "./policy.model.js";
export { inheritsOf, resolvePolicy, type ParentLookup } from "./policy.resolve.js";
export {
  DENY_REASON_CODES,
  decide,
  NO_USAGE,
  preflight,
  sideEffectOf,
  type Decision,
  type DecisionContext,
  type DenyReasonCode,
  type PolicyRequest,
  type PreflightContext,
  type PreflightResult,
  type RunPhase,
  type Usage,
} from "./decision.decide.js";
export {
  RISK_FLAGS,
  SIDE_EFFECT_KINDS,
  canonicalTarget,
  riskFlags,
  type IntendedSideEffect,
  type RiskFlag,
  type RiskInput,
  type ScopeEntry,
  type SideEffectKind,
} from "./side-effect.model.js";
export {
  PLAN_VERSION,
  SCOPE_VERSION,
  buildPlan,
  planWithinScope,
  scopeFrom,
  scopeHash,
  scopeOf,
  type ApprovedScope,
  type FileChange,
  type Plan,
  type PlanEstimate,
  type PlanInput,
  type WorkspaceDiff,
  type WorkspaceFileChange,
} from "./plan.model.js";
export { DEFAULT_PORTS, type Destination, type EgressPattern, type Scheme } from "./egress.pattern.js";
export type { Condition, ConditionOperator, Resource, Rule } from "./rules.eval.js";
export {
  CST_REASON_CODES,
  CST_GATEWAY_AUDIENCE,
  CST_SCOPE_PREFIX,
  mintCst,
  readBinding,
  tokenScopeHash,
  verifyCst,
  type CstBinding,
  type CstClaims,
  type CstClaimsInput,
  type CstReasonCode,
  type CstVerification,
  type MintCstInput,
  type VerifyCstOptions,
} from "./cst.token.js";
export { privateJwk, joseJws, publicJwk, type CompactJwsEngine, type CstHeader, type Ed25519Jwk } from "./cst.jws.js";
export {
  decideScope,
  scopeIntents,
  type PreflightReport,
  type PreflightReportDecision,
  type PreflightScope,
  type ScopeEgress,
  type ScopeError,
  type ScopeIntent,
  type ScopeModelCall,
  type ScopeSideEffect,
} from "./preflight.scope.js";
