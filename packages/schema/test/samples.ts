// Hand-built artifacts valid under both our schemas and upstream's, with optional members filled in so that
// mutating them exercises as many constraints as possible. Typed by our static types on purpose.
import type { Artifact, ArtifactKind } from "../src/index.js";

const DID = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";
const GATEWAY_DID = "did:key:z6MkfF4ykuxdK3Cea9xDqWgLLgMBvxcypy6Tv1K45Eahxy3m";
const H1 = "znFMvVUosicygIr9uAwLugv-vYW--WPViQLpMQ6daXI";
const H2 = "I-UgWdP2Vh8iGQumBflRpGs7RqcR0pDjlOXPSk4ylBY";
const SIG = "g6K3mycVkxxSJQxCMHOHCv1D_J4me_jHFMl6jKXoO5_ehDBcc4DLQONXVOxwldWZ3FDtVPkE4Fwyu-iBq2rHCg";
const T0 = "2026-02-12T00:00:00.000Z";
const T1 = "2026-02-12T00:05:00Z";

const envelopeTail = {
  payload_hash_b64u: H1,
  hash_algorithm: "SHA-256",
  signature_b64u: SIG,
  algorithm: "Ed25519",
  signer_did: DID,
  issued_at: T0,
} as const;

const receiptBinding: Artifact<"receipt_binding"> = {
  run_id: "run_1",
  event_hash_b64u: H1,
  nonce: "nonce_1",
  policy_hash: H2,
  token_scope_hash_b64u: H2,
  span_id: "span_2",
  parent_span_id: "span_1",
  tool_span_id: "span_t",
  phase: "execution",
  attribution_confidence: 0.75,
};

const legacyBinding = { run_id: "run_1", event_hash_b64u: H1, nonce: "n", policy_hash: H2, token_scope_hash_b64u: H2 };

const modelIdentity: Artifact<"model_identity"> = {
  model_identity_version: "1",
  tier: "closed_provider_manifest",
  model: { provider: "anthropic", name: "claude-test", family: "claude", endpoint: "/v1/messages", region: "eu", deployment_id: "d1", revision: "r1" },
  gateway_observed: {
    gateway_id: GATEWAY_DID,
    observed_at: T0,
    request_id: "req_1",
    provider_response_fingerprint: "fp",
    transport: { provider_api: "messages", http_status: 200, latency_ms: 12 },
  },
  artifacts: {
    provider_manifest: {
      manifest_type: "provider_build_manifest",
      uri: "https://example.com/manifest.json",
      hash_b64u: H1,
      content_type: "application/json",
      signature: { signer_did: DID, signature_envelope_ref: { resource_type: "envelope", resource_hash_b64u: H2, uri: "x" } },
    },
    openweights: {
      weights_format: "safetensors",
      weights: [{ file_name: "model.safetensors", hash_b64u: H1, size_bytes: 10 }],
      tokenizer: { kind: "bpe" },
      config: {},
      serving_code: {},
    },
    tee_measurement: {
      attestation_type: "tdx",
      attestation_report_ref: { resource_type: "report", resource_hash_b64u: H2, uri: "x" },
      measurement: {},
      tcb: {},
    },
  },
  metadata: { note: "free-form" },
};

const logInclusionProof: Artifact<"log_inclusion_proof"> = {
  proof_version: "1",
  log_id: "clawea-log",
  tree_size: 5,
  leaf_hash_b64u: H1,
  root_hash_b64u: H2,
  audit_path: [H1, H2],
  root_published_at: T0,
  root_signature: { signer_did: DID, sig_b64u: SIG },
  metadata: { leaf_index: 3 },
};

const gatewayReceipt: Artifact<"gateway_receipt"> = {
  receipt_version: "1",
  receipt_id: "rcpt_1",
  gateway_id: "gw_1",
  provider: "anthropic",
  model: "claude-test",
  request_hash_b64u: H1,
  response_hash_b64u: H2,
  tokens_input: 10,
  tokens_output: 20,
  latency_ms: 123.5,
  timestamp: T0,
  binding: receiptBinding,
  metadata: {
    model_identity: { model_identity_version: "1", tier: "closed_opaque", model: { provider: "anthropic", name: "claude-test" } },
    model_identity_hash_b64u: H1,
    audit_result_refs: [{ resource_type: "audit_result_attestation", resource_hash_b64u: H2, uri: "x" }],
    x402_payment_ref: "0xabc",
    x402_amount_minor: 1000,
    x402_currency: "USDC",
    x402_network: "base",
    x402_payment_auth_hash_b64u: H2,
    log_inclusion_proof: logInclusionProof,
    kinematic_fingerprint: {
      ttft_ms: 120,
      itl_p50_ms: 12,
      itl_p95_ms: 30,
      itl_stddev_ms: 4.5,
      chunk_count: 40,
      burst_signature_b64u: H1,
      hardware_inferred: "cloud_standard",
      confidence_score: 0.5,
      total_tokens: 20,
      total_duration_ms: 900,
    },
    sentinel_anomaly_report: {
      threat_score: 3,
      anomaly_type: "benign",
      global_prevalence: 12,
      nearest_neighbors: ["run_0"],
      confidence: 0.9,
    },
  },
};

const gatewayReceiptEnvelope: Artifact<"gateway_receipt_envelope"> = {
  envelope_version: "1",
  envelope_type: "gateway_receipt",
  payload: gatewayReceipt,
  ...envelopeTail,
  signer_did: GATEWAY_DID,
  expires_at: T1,
};

const toolReceiptV1: Artifact<"tool_receipt_v1"> = {
  receipt_version: "1",
  receipt_id: "tr_1",
  tool_name: "bash",
  tool_version: "5.2",
  args_hash_b64u: H1,
  result_hash_b64u: H2,
  result_status: "success",
  hash_algorithm: "SHA-256",
  agent_did: DID,
  timestamp: T0,
  latency_ms: 42,
  binding: legacyBinding,
};

const toolReceiptV1Envelope: Artifact<"tool_receipt_v1_envelope"> = {
  envelope_version: "1",
  envelope_type: "tool_receipt",
  payload: toolReceiptV1,
  ...envelopeTail,
  expires_at: T1,
};

const toolReceiptV2: Artifact<"tool_receipt_v2"> = {
  receipt_version: "2",
  receipt_id: "tr_2",
  tool_name: "read_file",
  tool_version: "1",
  args_hash_b64u: H1,
  result_hash_b64u: H2,
  result_status: "error",
  hash_algorithm: "SHA-256",
  agent_did: DID,
  timestamp: T0,
  latency_ms: 3,
  binding: { run_id: "run_1", tool_span_id: "span_t" },
  args_salt_b64u: H2,
  result_salt_b64u: H1,
  args_disclosure: {
    disclosure_algorithm: "vir_v2_typed_lexicographical",
    merkle_root_b64u: H1,
    redacted_leaf_hashes_b64u: [H2],
    disclosed_leaves: { path: { type: "string", value: "README.md", salt_b64u: H1 } },
  },
  result_disclosure: {
    disclosure_algorithm: "vir_v2_typed_lexicographical",
    merkle_root_b64u: H2,
    redacted_leaf_hashes_b64u: [],
    // A key with a line break: every member must match, not only those a `^(.*)$` pattern would see.
    disclosed_leaves: { "lines\nread": { type: "object", value: { count: 3 }, salt_b64u: H2 } },
  },
};

const toolReceiptV2Envelope: Artifact<"tool_receipt_v2_envelope"> = {
  envelope_version: "2",
  envelope_type: "tool_receipt",
  payload: toolReceiptV2,
  ...envelopeTail,
  expires_at: T1,
  co_signatures: [{ signature_b64u: SIG, algorithm: "Ed25519", signer_did: GATEWAY_DID, issued_at: T0, role: "proxy" }],
};

const sideEffectReceipt: Artifact<"side_effect_receipt"> = {
  receipt_version: "1",
  receipt_id: "ser_1",
  effect_class: "network_egress",
  target_hash_b64u: H1,
  vendor_id: "github",
  request_hash_b64u: H1,
  response_hash_b64u: H2,
  response_status: "denied",
  hash_algorithm: "SHA-256",
  agent_did: DID,
  timestamp: T0,
  latency_ms: 10,
  bytes_written: 0,
  binding: { ...legacyBinding, capability_id: "cst_1" },
};

const humanApprovalReceipt: Artifact<"human_approval_receipt"> = {
  receipt_version: "1",
  receipt_id: "har_1",
  approval_type: "explicit_approve",
  approver_subject: "alice@example.com",
  approver_method: "ui_click",
  agent_did: DID,
  scope_hash_b64u: H1,
  scope_summary: "push to staging",
  policy_hash_b64u: H2,
  minted_capability_id: "cst_2",
  minted_capability_ttl_seconds: 600,
  plan_hash_b64u: H1,
  evidence_required: ["proof_bundle"],
  hash_algorithm: "SHA-256",
  timestamp: T0,
  binding: legacyBinding,
};

const firstEvent: Artifact<"event_chain_entry"> = {
  event_id: "evt_1",
  run_id: "run_1",
  event_type: "run_start",
  timestamp: T0,
  payload_hash_b64u: H1,
  prev_hash_b64u: null,
  event_hash_b64u: H2,
};
const secondEvent: Artifact<"event_chain_entry"> = {
  ...firstEvent,
  event_id: "evt_2",
  event_type: "llm_call",
  prev_hash_b64u: H2,
  event_hash_b64u: H1,
};

const urm: Artifact<"urm"> = {
  urm_version: "1",
  urm_id: "urm_1",
  run_id: "run_1",
  agent_did: DID,
  issued_at: T0,
  harness: { id: "clawea-reference", version: "0.1.0", runtime: "clawea", config_hash_b64u: H1, metadata: {} },
  inputs: [
    { type: "task", hash_b64u: H1, content_type: "text/plain", uri: "https://example.com/task", path: "task.md", size_bytes: 12, metadata: {} },
  ],
  outputs: [{ type: "patch", hash_b64u: H2 }],
  event_chain_root_hash_b64u: H1,
  receipts_root_hash_b64u: H2,
  proof_bundle_hash_b64u: H1,
  metadata: {},
};

const proofBundle: Artifact<"proof_bundle"> = {
  bundle_version: "1",
  bundle_id: "bundle_1",
  agent_did: DID,
  eip8004_agent_id: "42",
  eip8004_registry: "eip155:1:0x0123456789abcdef0123456789ABCDEF01234567",
  urm: { urm_version: "1", urm_id: "urm_1", resource_type: "urm", resource_hash_b64u: H1, metadata: {} },
  event_chain: [firstEvent, secondEvent],
  receipts: [
    {
      envelope_version: "1",
      envelope_type: "gateway_receipt",
      payload: {
        receipt_version: "1",
        receipt_id: "rcpt_1",
        gateway_id: "gw_1",
        provider: "anthropic",
        model: "claude-test",
        request_hash_b64u: H1,
        response_hash_b64u: H2,
        tokens_input: 10,
        tokens_output: 20,
        latency_ms: 100,
        timestamp: T0,
        binding: { run_id: "run_1", event_hash_b64u: H1 },
        metadata: {
          model_identity: { model_identity_version: "1", tier: "closed_opaque", model: { provider: "anthropic", name: "claude-test" } },
          model_identity_hash_b64u: H1,
          audit_result_refs: [{ resource_type: "audit_result_attestation", resource_hash_b64u: H2, uri: "x" }, { resource_hash_b64u: H1 }],
          // The bundle's copy of the receipt leaves x402 members unchecked, as upstream's does.
          x402_amount_minor: -1,
        },
      },
      ...envelopeTail,
      signer_did: GATEWAY_DID,
      expires_at: T1,
    },
  ],
  tool_receipts: [toolReceiptV1, toolReceiptV1Envelope, toolReceiptV2, toolReceiptV2Envelope],
  side_effect_receipts: [
    {
      receipt_version: "1",
      receipt_id: "ser_1",
      effect_class: "filesystem_write",
      target_digest: H1,
      request_digest: H2,
      response_digest: H1,
      hash_algorithm: "SHA-256",
      vendor_id: "fs",
      bytes_written: 10,
      agent_did: DID,
      timestamp: T0,
      binding: { run_id: "run_1" },
    },
  ],
  human_approval_receipts: [
    {
      receipt_version: "1",
      receipt_id: "har_1",
      approval_type: "explicit_deny",
      scope_hash_b64u: H1,
      plan_hash_b64u: H2,
      approver_subject: "alice",
      capability_minted: false,
      policy_hash_b64u: H1,
      agent_did: DID,
      timestamp: T0,
      binding: {},
    },
  ],
  delegation_receipts: [
    {
      receipt_version: "1",
      receipt_id: "del_1",
      delegator_did: DID,
      delegate_did: GATEWAY_DID,
      task_description_hash_b64u: H1,
      delegate_bundle_hash_b64u: H2,
      delegation_policy: H1,
      hash_algorithm: "BLAKE3",
      delegated_at: T0,
      completed_at: T1,
      binding: {},
    },
  ],
  rate_limit_claims: [
    {
      claim_version: "1",
      scope: "model",
      scope_key: "claude-test",
      window_start: T0,
      window_end: T1,
      max_requests: 100,
      observed_requests: 1,
      max_tokens_input: 1000,
      observed_tokens_input: 10,
      max_tokens_output: 1000,
      observed_tokens_output: 20,
      run_id: "run_1",
    },
  ],
  attestations: [
    { attestation_id: "att_1", attestation_type: "owner", attester_did: DID, subject_did: DID, expires_at: T1, signature_b64u: SIG },
  ],
  metadata: {
    harness: { id: "clawea-reference", version: "0.1.0", runtime: "clawea", config_hash_b64u: H1 },
    sentinels: {
      interpose_active: true,
      shell_events: 1,
      fs_events: 2,
      net_events: 3,
      net_suspicious: 0,
      interpose_events: 4,
      interpose_gateway: 5,
      interpose_transcript: 6,
      interpose_tool_calls: 7,
      interpose_anomalies: 0,
      preload_llm_events: 8,
      tls_sni_events: 9,
      tls_sni_receipts: 10,
      tls_decrypt_receipts: 11,
      vir_receipts: 0,
      runtime_profile: {},
      runtime_hygiene: {},
      interpose_state: {},
      egress_policy_receipt: {
        envelope_version: "1",
        envelope_type: "egress_policy_receipt",
        payload: {
          receipt_version: "1",
          receipt_id: "epr_1",
          policy_version: "1",
          policy_hash_b64u: H1,
          effective_policy_hash_b64u: H2,
          proofed_mode: true,
          clawproxy_url: "https://gateway.clawea.local/v1",
          allowed_proxy_destinations: ["api.anthropic.com:443"],
          allowed_child_destinations: ["*.internal"],
          direct_provider_access_blocked: true,
          blocked_attempt_count: 0,
          blocked_attempts_observed: false,
          hash_algorithm: "SHA-256",
          agent_did: DID,
          timestamp: T0,
          binding: { run_id: "run_1", event_hash_b64u: H1 },
          transparency: {
            inclusion_proof: logInclusionProof,
            consistency_proof: {
              proof_version: "1",
              log_id: "clawea-log",
              from_tree_size: 4,
              to_tree_size: 5,
              from_root_hash_b64u: H1,
              to_root_hash_b64u: H2,
              consistency_path: [H1],
              metadata: {},
            },
            anchor_id: "anchor_1",
            anchor_uri: "https://log.clawea.local/anchors/1",
          },
        },
        ...envelopeTail,
      },
    },
    run_summary: "open member",
  },
};

const minimalProofBundle: Artifact<"proof_bundle"> = {
  bundle_version: "1",
  bundle_id: "bundle_2",
  agent_did: DID,
  event_chain: [firstEvent],
};

const proofBundleEnvelope: Artifact<"proof_bundle_envelope"> = {
  envelope_version: "1",
  envelope_type: "proof_bundle",
  payload: proofBundle,
  ...envelopeTail,
};

const sandboxAttestation: Artifact<"execution_attestation"> = {
  attestation_version: "1",
  attestation_id: "xat_1",
  execution_type: "sandbox_execution",
  agent_did: DID,
  attester_did: GATEWAY_DID,
  run_id: "run_1",
  proof_bundle_hash_b64u: H1,
  harness: { id: "clawea-reference", version: "0.1.0", runtime: "clawea", config_hash_b64u: H2 },
  runtime_metadata: { image_digest: "sha256:abc", cpu_limit: 2, stateless: true },
  issued_at: T0,
  expires_at: T1,
  metadata: {},
};

const teeAttestation: Artifact<"execution_attestation"> = {
  attestation_version: "1",
  attestation_id: "xat_2",
  execution_type: "tee_execution",
  agent_did: DID,
  attester_did: GATEWAY_DID,
  runtime_metadata: {
    tee: {
      attestation_type: "tdx_quote",
      root_id: "root_1",
      tcb_version: "1.2",
      evidence_ref: { resource_type: "quote", resource_hash_b64u: H1, uri: "x" },
      nonce_binding_b64u: H2,
      measurements: { measurement_hash_b64u: H1, runtime_digest_b64u: H2, kernel_digest_b64u: H1, model_weights_digest_b64u: H2 },
      tcb: { status: "up_to_date", advisory_ids: ["INTEL-SA-1"] },
      metadata: {},
    },
  },
  issued_at: T0,
};

const executionAttestationEnvelope: Artifact<"execution_attestation_envelope"> = {
  envelope_version: "1",
  envelope_type: "execution_attestation",
  payload: sandboxAttestation,
  ...envelopeTail,
};

const exportManifest: Artifact<"export_bundle_manifest"> = {
  manifest_version: "1",
  generated_at: T0,
  entries: [{ path: "artifacts/proof_bundle_envelope.json", sha256_b64u: H1, content_type: "application/json", size_bytes: 835 }],
};

const exportBundle: Artifact<"export_bundle"> = {
  export_version: "1",
  export_id: "exp_1",
  created_at: T0,
  issuer_did: DID,
  manifest: exportManifest,
  artifacts: {
    proof_bundle_envelope: { ...proofBundleEnvelope, payload: minimalProofBundle },
    execution_attestation_envelopes: [{ ...executionAttestationEnvelope, payload: teeAttestation }],
    audit_result_attestation_envelopes: [
      {
        envelope_version: "1",
        envelope_type: "audit_result_attestation",
        payload: {
          audit_pack: { pack_id: "p", pack_version: "1", pack_hash_b64u: H1 },
          audit_version: "1",
          audit_id: "aud_1",
          issued_at: T0,
          expires_at: T1,
          model: { model_identity_version: "1", tier: "closed_opaque", model: { provider: "openai", name: "gpt" } },
          derivation_attestation_hash_b64u: H2,
          audit_code: { repo_uri: "https://github.com/example/audits", commit_sha: "abc", code_hash_b64u: H1, uri: "x" },
          dataset: { dataset_id: "ds", dataset_hash_b64u: H2, access: "public", uri: "x" },
          protocol: { name: "bench", config_hash_b64u: H1, seed: 7 },
          result: { status: "pass", results_hash_b64u: H2, summary: { score: 1 } },
          execution: { execution_attestation_hash_b64u: H1, proof_bundle_hash_b64u: H2 },
          clawlogs: { log_entry_hash_b64u: H1, inclusion_proof: logInclusionProof },
          metadata: {},
        },
        ...envelopeTail,
      },
    ],
  },
  bundle_hash_b64u: H2,
  hash_algorithm: "SHA-256",
  signature_b64u: SIG,
  algorithm: "Ed25519",
  issued_at: T0,
  expires_at: T1,
  metadata: {},
};

const wpcV1: Artifact<"wpc_v1"> = {
  policy_version: "1",
  policy_id: "pol_default",
  issuer_did: DID,
  allowed_providers: ["anthropic", "openai"],
  allowed_models: ["claude-*"],
  minimum_model_identity_tier: "closed_opaque",
  required_audit_packs: [H1],
  redaction_rules: [{ path: "$.messages[*].content", action: "hash" }],
  receipt_privacy_mode: "hash_only",
  egress_allowlist: ["api.github.com"],
  metadata: { owner: "security" },
};

const conditions = { "Model:Provider": "anthropic" };

const wpcV2: Artifact<"wpc_v2"> = {
  policy_version: "2",
  policy_id: "pol_v2",
  issuer_did: DID,
  inherits: "pol_root",
  coverage_enforcement: "enforce",
  witnessed_web_policy: { mode: "warn", quorum: { m: 2, n: 3 }, transparency: { mode: "enforce", required_after: T0 } },
  statements: [
    {
      sid: "models",
      effect: "Allow",
      actions: ["model:invoke"],
      resources: ["*"],
      conditions: {
        StringEquals: conditions,
        StringNotEquals: conditions,
        StringLike: { "Model:Name": "claude-*" },
        StringNotLike: conditions,
        NumericEquals: { "Context:Hour": "9" },
        NumericLessThan: { "Context:Hour": "18" },
        NumericGreaterThan: { "Context:Hour": "8" },
        Bool: { "Request:HasHumanApproval": "true" },
        IpAddress: { "Source:Ip": "10.0.0.0/8" },
      },
    },
    { sid: "no-secrets", effect: "Deny", actions: ["side_effect:*"], resources: ["**/secrets/**"] },
  ],
  metadata: {},
};

const wpcEnvelope: Artifact<"wpc_envelope"> = {
  envelope_version: "1",
  envelope_type: "work_policy_contract",
  payload: wpcV1,
  ...envelopeTail,
};

const cstClaims: Artifact<"cst_claims"> = {
  token_version: "1",
  sub: DID,
  owner_ref: "owner_1",
  owner_did: DID,
  controller_did: DID,
  agent_did: DID,
  aud: ["clawea-gateway"],
  scope: ["model:invoke", "side_effect:network_egress"],
  policy_hash_b64u: H1,
  control_plane_policy_hash_b64u: H2,
  token_scope_hash_b64u: H1,
  payment_account_did: DID,
  spend_cap: 10,
  mission_id: "mis_1",
  delegation_id: "dlg_1",
  delegator_did: DID,
  delegate_did: DID,
  delegation_policy_hash_b64u: H2,
  delegation_spend_cap_minor: "1000",
  delegation_expires_at: 1770000000,
  token_lane: "canonical",
  jti: "jti_1",
  iat: 1769990000,
  exp: 1769993600,
  nonce: "n",
};

export const validSamples: { readonly [K in ArtifactKind]: readonly Artifact<K>[] } = {
  gateway_receipt: [gatewayReceipt],
  gateway_receipt_envelope: [gatewayReceiptEnvelope],
  tool_receipt_v1: [toolReceiptV1],
  tool_receipt_v1_envelope: [toolReceiptV1Envelope],
  tool_receipt_v2: [toolReceiptV2],
  tool_receipt_v2_envelope: [toolReceiptV2Envelope],
  side_effect_receipt: [sideEffectReceipt],
  side_effect_receipt_envelope: [
    { envelope_version: "1", envelope_type: "side_effect_receipt", payload: sideEffectReceipt, ...envelopeTail, expires_at: T1 },
  ],
  human_approval_receipt: [humanApprovalReceipt],
  human_approval_receipt_envelope: [
    { envelope_version: "1", envelope_type: "human_approval_receipt", payload: humanApprovalReceipt, ...envelopeTail, expires_at: T1 },
  ],
  receipt_binding: [receiptBinding, { spanId: "s", parentSpanId: "p", toolSpanId: "t", attributionConfidence: 1 }],
  model_identity: [modelIdentity],
  event_chain: [{ chain_version: "1", chain_id: "chain_1", run_id: "run_1", events: [firstEvent, secondEvent], metadata: {} }],
  event_chain_entry: [firstEvent, secondEvent],
  urm: [urm],
  proof_bundle: [proofBundle, minimalProofBundle],
  proof_bundle_envelope: [proofBundleEnvelope],
  execution_attestation: [sandboxAttestation, teeAttestation],
  execution_attestation_envelope: [executionAttestationEnvelope],
  export_bundle: [exportBundle],
  export_bundle_manifest: [exportManifest],
  log_inclusion_proof: [logInclusionProof],
  wpc_v1: [wpcV1],
  wpc_v2: [wpcV2],
  wpc_envelope: [wpcEnvelope],
  cst_claims: [cstClaims, { ...cstClaims, aud: "clawea-gateway" }],
};
