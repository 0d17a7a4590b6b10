/**
 * The one registry of reason codes: every "no" in clawea (verifier, policy, API, CLI) names one of these.
 * Codes the upstream Clawsig verifier also uses keep its spelling and meaning.
 */

interface ReasonCodeSpec {
  /** HTTP status an API answers with when this code is the primary reason. */
  status: number;
  /** Whether trying the same thing again later can succeed. */
  retryable: boolean;
  /** One line, safe to show to any caller. */
  message: string;
}

function codes<const T extends Record<string, ReasonCodeSpec>>(table: T): { readonly [K in keyof T]: Readonly<T[K]> } {
  return Object.freeze(table);
}

export const REASON_CODES = codes({
  OK: { status: 200, retryable: false, message: "Verified." },

  // Encoding and canonical form
  MALFORMED_ENCODING: { status: 400, retryable: false, message: "A value is not in the encoding its field requires (base64url, base58btc)." },
  CANONICALIZATION_FAILED: { status: 400, retryable: false, message: "The value cannot be put in RFC 8785 canonical form (non-finite number, non-JSON value, lone surrogate)." },
  MALFORMED_KEY: { status: 400, retryable: false, message: "A key has the wrong size or form." },

  // Envelopes and signatures (upstream codes)
  MALFORMED_ENVELOPE: { status: 422, retryable: false, message: "The envelope is missing required fields or has an invalid structure." },
  UNKNOWN_ENVELOPE_VERSION: { status: 422, retryable: false, message: "The envelope version is not one this verifier knows." },
  UNKNOWN_ENVELOPE_TYPE: { status: 422, retryable: false, message: "The envelope type is not one this verifier knows, or not the one expected here." },
  UNKNOWN_HASH_ALGORITHM: { status: 422, retryable: false, message: "The hash algorithm is not SHA-256." },
  UNKNOWN_ALGORITHM: { status: 422, retryable: false, message: "The signature algorithm is not Ed25519." },
  UNKNOWN_VERSION: { status: 422, retryable: false, message: "A document version field holds a version this verifier does not know." },
  HASH_MISMATCH: { status: 422, retryable: false, message: "A recomputed hash does not match the one recorded." },
  SIGNATURE_INVALID: { status: 422, retryable: false, message: "A signature does not verify under the signer's key." },
  INVALID_DID_FORMAT: { status: 422, retryable: false, message: "A signer is not a did:key holding an Ed25519 key." },
  SIGNER_NOT_TRUSTED: { status: 422, retryable: false, message: "The signer is valid but not among the trust anchors for its role." },
  SCHEMA_VALIDATION_FAILED: { status: 422, retryable: false, message: "The document does not match its JSON Schema." },
  MISSING_REQUIRED_FIELD: { status: 422, retryable: false, message: "A field the format requires is absent." },

  // Evidence semantics (upstream codes)
  EVENT_CHAIN_BROKEN: { status: 422, retryable: false, message: "The event chain does not link: a prev hash or event hash is wrong." },
  RECEIPT_BINDING_MISMATCH: { status: 422, retryable: false, message: "A receipt is not bound to this run or to an event of its chain." },
  PROOF_BUNDLE_AGENT_MISMATCH: { status: 422, retryable: false, message: "The proof bundle's agent DID is not its signer." },
  EVIDENCE_MISMATCH: { status: 422, retryable: false, message: "Two pieces of evidence that must agree do not." },
  INCLUSION_PROOF_INVALID: { status: 422, retryable: false, message: "The Merkle inclusion proof does not resolve to the signed root." },
  CONSISTENCY_PROOF_INVALID: { status: 422, retryable: false, message: "The Merkle consistency proof does not link the two tree heads." },
  CAUSAL_CLOCK_CONTRADICTION: { status: 422, retryable: false, message: "Timestamps contradict each other (created after issued)." },
  FUTURE_TIMESTAMP_POISONING: { status: 422, retryable: false, message: "A timestamp lies in the future of the verification time." },
  EXPIRED_TTL: { status: 422, retryable: false, message: "The artifact expired before the verification time." },
  UNSUPPORTED_EVIDENCE: { status: 422, retryable: false, message: "The artifact carries an evidence section this verifier cannot check, so it fails closed." },
  DEPENDENCY_NOT_CONFIGURED: { status: 500, retryable: false, message: "A check was given no usable trust anchors or verification time, so it cannot decide." },
  INPUT_UNREADABLE: { status: 400, retryable: false, message: "The input is not readable JSON." },

  // Policy: gateway and preflight decisions, plans, CSTs. Never 401/403 (agent runtimes disable a key on those), never 409 (SDKs retry it).
  POLICY_REQUEST_INVALID: { status: 400, retryable: false, message: "The request to decide is malformed (type, host, port, kind, target or context)." },
  POLICY_MODEL_DENIED: { status: 400, retryable: false, message: "The policy does not allow this provider, model or model identity tier; choose another model." },
  POLICY_EGRESS_DENIED: { status: 400, retryable: false, message: "The destination is outside the policy's egress allowlist." },
  POLICY_SIDE_EFFECT_DENIED: { status: 400, retryable: false, message: "The policy does not allow this kind of side effect on this target." },
  POLICY_BUDGET_EXCEEDED: { status: 429, retryable: false, message: "The run's token or cost budget is used up." },
  POLICY_PARENT_UNRESOLVED: { status: 422, retryable: false, message: "The policy inherits a parent that is unknown, too deep or cyclic." },
  PLAN_PHASE_SIDE_EFFECT_CAPTURED: { status: 428, retryable: true, message: "Plan phase: the side effect was recorded as intended, not performed; it can run once approved." },
  APPROVAL_REQUIRED: { status: 428, retryable: true, message: "Apply phase without an approval: nothing is performed until a plan is approved." },
  SIDE_EFFECT_NOT_APPROVED: { status: 428, retryable: false, message: "The side effect is outside the scope approved for this run." },
  APPROVED_SCOPE_MISMATCH: { status: 422, retryable: false, message: "The approved scope does not match the scope hash its approval pinned." },
  PLAN_INVALID: { status: 422, retryable: false, message: "The plan or scope is malformed (kind, target, workspace diff or estimate)." },
  CST_MALFORMED: { status: 400, retryable: false, message: "The capability token is not a well-formed CST (JWS form, header, claims schema, binding)." },
  CST_SIGNATURE_INVALID: { status: 400, retryable: false, message: "The capability token is not signed by a trusted issuer." },
  CST_EXPIRED: { status: 400, retryable: false, message: "The capability token is outside its validity window." },
  CST_AUDIENCE_MISMATCH: { status: 400, retryable: false, message: "The capability token is not meant for this service." },
  CST_BINDING_MISMATCH: { status: 400, retryable: false, message: "The capability token is bound to another tenant, agent, run, phase, policy or approved scope." },
  CST_SCOPE_DENIED: { status: 400, retryable: false, message: "The capability token does not grant this action." },
  CST_REVOKED: { status: 400, retryable: false, message: "The capability token was revoked." },

  // HTTP API: who is calling
  AUTH_REQUIRED: { status: 401, retryable: false, message: "Send an API key as `Authorization: Bearer <key>`." },
  API_KEY_INVALID: { status: 401, retryable: false, message: "The API key is not one this platform issued." },
  API_KEY_EXPIRED: { status: 401, retryable: false, message: "The API key has expired." },
  API_KEY_REVOKED: { status: 401, retryable: false, message: "The API key was revoked." },
  ROLE_NOT_PERMITTED: { status: 403, retryable: false, message: "None of the key's roles may call this route." },

  // HTTP API: what was asked
  NOT_FOUND: { status: 404, retryable: false, message: "No such resource (or not yours)." },
  VALIDATION_FAILED: { status: 400, retryable: false, message: "The request does not match the route's schema." },
  BODY_TOO_LARGE: { status: 413, retryable: false, message: "The request body exceeds the size limit." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, message: "Send JSON (`Content-Type: application/json`)." },
  ALREADY_EXISTS: { status: 409, retryable: false, message: "A resource with that name already exists." },
  ILLEGAL_TRANSITION: { status: 409, retryable: false, message: "The resource's current state does not allow this action." },
  RESOURCE_IN_USE: { status: 409, retryable: false, message: "The resource is still in use (a template by agents that are not destroyed)." },
  READ_ONLY_RESOURCE: { status: 403, retryable: false, message: "Built-in resources cannot be changed or deleted." },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false, message: "This Idempotency-Key was used for a different request." },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, retryable: true, message: "A request with this Idempotency-Key is still being processed." },
  POLICY_INVALID: { status: 422, retryable: false, message: "The Work Policy Contract does not match its schema." },
  REFERENCE_NOT_FOUND: { status: 422, retryable: false, message: "The request names a template, policy or secret that does not exist." },

  // Gateway: who may call (never 401/403: OpenClaw benches a key for a minute after those)
  AGENT_NOT_RUNNING: { status: 409, retryable: true, message: "The agent the token names is not running." },
  POLICY_NOT_ASSIGNED: { status: 400, retryable: false, message: "The agent has no Work Policy Contract in force, so everything is denied." },
  EGRESS_PROXY_AUTH_REQUIRED: { status: 407, retryable: false, message: "The egress proxy needs the run's CST: `Proxy-Authorization: Bearer <cst>`, or Basic with the CST as password." },
  EGRESS_REQUEST_INVALID: { status: 400, retryable: false, message: "Not a forward-proxy request: send an absolute-form http:// URL, or CONNECT host:port for anything else." },
  EGRESS_PRIVATE_ADDRESS_DENIED: { status: 400, retryable: false, message: "The destination resolves to a private, loopback or link-local address that the policy does not name." },
  EGRESS_UPSTREAM_UNREACHABLE: { status: 502, retryable: true, message: "The egress destination could not be resolved or refused the connection." },
  EGRESS_UPSTREAM_TIMEOUT: { status: 504, retryable: true, message: "The egress destination did not accept the connection in time." },
  // Gateway: model proxy (every answer after an upstream attempt is receipted, failures included)
  MODEL_PROVIDER_UNKNOWN: { status: 400, retryable: false, message: "The model names a provider this gateway has no route for: use `<provider>/<model>` with a configured provider." },
  MODEL_PROVIDER_API_MISMATCH: { status: 400, retryable: false, message: "The provider speaks another API: OpenAI providers on /v1/chat/completions and /v1/responses, Anthropic ones on /v1/messages." },
  PROVIDER_KEY_MISSING: { status: 424, retryable: false, message: "The tenant has no provider key for this provider: store a provider_key secret named after it." },
  PROVIDER_KEY_REJECTED: { status: 424, retryable: false, message: "The provider refused the tenant's provider key (its 401/403 is not passed on)." },
  UPSTREAM_REJECTED: { status: 400, retryable: false, message: "The provider rejected the request (a 4xx); its error message is passed on." },
  UPSTREAM_RATE_LIMITED: { status: 429, retryable: true, message: "The provider is rate-limiting the tenant's key; retry after the Retry-After delay." },
  UPSTREAM_ERROR: { status: 502, retryable: true, message: "The provider failed: a 5xx, a refused connection or a broken stream." },
  UPSTREAM_TIMEOUT: { status: 504, retryable: true, message: "The provider did not answer, or stopped streaming, within the upstream timeout." },
  CLIENT_DISCONNECTED: { status: 499, retryable: true, message: "The caller went away before the answer was complete, so the upstream call was aborted." },
  IDEMPOTENT_REPLAY_UNAVAILABLE: { status: 422, retryable: false, message: "The call with this Idempotency-Key completed, but its answer is no longer held for replay; its receipt id is in the body." },

  // Data plane: sandboxes
  SANDBOX_NOT_FOUND: { status: 404, retryable: false, message: "The agent's sandbox does not exist (any more)." },
  SANDBOX_CREATE_FAILED: { status: 502, retryable: true, message: "The sandbox provider could not create the sandbox." },
  SANDBOX_EXEC_FAILED: { status: 502, retryable: true, message: "A command could not be run in the sandbox." },
  SANDBOX_PATH_INVALID: { status: 400, retryable: false, message: "A file path leaves the sandbox's workspace." },
  SANDBOX_RESTART_FAILED: { status: 502, retryable: false, message: "The agent's sandbox crashed and could not be restarted; the agent is failed." },
  SANDBOX_ID_MISSING: { status: 409, retryable: false, message: "The agent has no sandbox recorded for this action." },
  DATA_PLANE_INTERNAL: { status: 500, retryable: true, message: "The data plane failed unexpectedly; the job was retried and the failure logged." },
  SANDBOX_UNAVAILABLE: { status: 503, retryable: true, message: "The sandbox provider is unreachable." },

  // Runs and approvals
  RUN_NOT_ACTIVE: { status: 409, retryable: false, message: "The run is over (completed, denied, failed or cancelled) or not in the state this action needs." },
  APPROVAL_DENIED: { status: 403, retryable: false, message: "A human denied the plan: the refused actions are listed; adapt the task and start a new run." },
  APPROVAL_EXPIRED: { status: 409, retryable: false, message: "The approval request expired before anyone decided it; start a new run." },
  APPROVAL_ALREADY_DECIDED: { status: 409, retryable: false, message: "The approval was already decided; a decision is made once." },
  APPROVER_NOT_PERMITTED: { status: 403, retryable: false, message: "This approver may not decide this run (role rule, or the requester approving their own run)." },
  APPROVAL_SCOPE_INVALID: { status: 422, retryable: false, message: "The granted scope must be a subset of the plan's intended side effects." },
  CALLBACK_REPLAYED: { status: 409, retryable: false, message: "This channel callback was already received; replays are refused." },
  PLAN_HASH_MISMATCH: { status: 409, retryable: false, message: "The plan changed after it was approved: the apply phase is refused." },
  APPLY_CST_INVALID: { status: 403, retryable: false, message: "The apply phase has no valid capability (missing, expired, revoked or bound to another scope): nothing was executed." },
  EVIDENCE_NOT_READY: { status: 409, retryable: true, message: "The run has not ended, or its evidence is still being written; retry shortly." },
  RUN_AGENT_FAILED: { status: 502, retryable: false, message: "The agent in the sandbox failed or was stopped by a limit; see the run's events." },

  // HTTP API: the platform itself
  DEPENDENCY_UNAVAILABLE: { status: 503, retryable: true, message: "A backing service (database, queue) is unreachable." },
  INTERNAL_ERROR: { status: 500, retryable: true, message: "An unexpected error; it was logged with the request id." },

  // Transparency log
  LOG_PUSHBACK: { status: 503, retryable: true, message: "The transparency log has too many appends waiting; retry after the Retry-After delay." },
  LOG_LEAF_NOT_FOUND: { status: 404, retryable: false, message: "The transparency log holds no such leaf (or not within the requested tree size)." },

  // Approval channels: signed callbacks from Slack, Teams and GitHub, and sending approval cards to them
  CHANNEL_SIGNATURE_INVALID: { status: 400, retryable: false, message: "The channel callback's signature is missing or does not verify under the channel's secret." },
  CHANNEL_REQUEST_STALE: { status: 400, retryable: false, message: "The channel callback's timestamp is more than five minutes from now." },
  CHANNEL_PAYLOAD_INVALID: { status: 400, retryable: false, message: "The channel callback is authentic but not a well-formed approval decision." },
  CHANNEL_DELIVERY_FAILED: { status: 502, retryable: true, message: "The channel could not be reached or failed (a 5xx, a timeout or a refused connection)." },
  CHANNEL_RATE_LIMITED: { status: 429, retryable: true, message: "The channel is rate-limiting the tenant's credentials; retry after the Retry-After delay." },
  CHANNEL_DELIVERY_REJECTED: { status: 424, retryable: false, message: "The channel refused the card (a 4xx: bad token or webhook, unknown channel or repository, missing permission)." },
  CHANNEL_NOT_CONFIGURED: { status: 422, retryable: false, message: "The tenant has no usable configuration for this approval channel." },
});

export type ReasonCode = keyof typeof REASON_CODES;

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === "string" && Object.hasOwn(REASON_CODES, value);
}

/**
 * A "no" on its way to a service's edge: a registry code, a detail, and extra problem members. Services
 * throw it from deep inside and render it once (problem+json, the gateway's error body, a CLI line).
 */
export class ReasonError extends Error {
  override readonly name = "ReasonError";
  constructor(
    readonly code: ReasonCode,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? REASON_CODES[code].message);
  }

  get status(): number {
    return REASON_CODES[this.code].status;
  }
}
