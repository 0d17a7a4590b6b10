#!/usr/bin/env bash
# The README's curl walk-through, runnable: tenant → keys → policy → secret → agent → health → fleet.
# Needs a running control plane at $CLAWEA_URL and its bootstrap key in $CLAWEA_BOOTSTRAP_KEY; uses jq.
set -euo pipefail
: "${CLAWEA_URL:=http://127.0.0.1:8080}"
: "${CLAWEA_BOOTSTRAP_KEY:?set CLAWEA_BOOTSTRAP_KEY}"
json=(-H 'content-type: application/json')

echo "1. the platform operator creates a tenant (its admin key is shown once)"
ADMIN=$(curl -sf "$CLAWEA_URL/v1/tenants" -H "authorization: Bearer $CLAWEA_BOOTSTRAP_KEY" "${json[@]}" \
  -d '{"name":"Acme"}' | jq -r .admin_key.token)
auth=(-H "authorization: Bearer $ADMIN")

echo "2. the admin creates an operator key"
OPERATOR=$(curl -sf "$CLAWEA_URL/v1/api-keys" "${auth[@]}" "${json[@]}" \
  -d '{"name":"ci-operator","roles":["operator"]}' | jq -r .token)

echo "3. register a Work Policy Contract and make it the tenant default"
HASH=$(curl -sf "$CLAWEA_URL/v1/policies" "${auth[@]}" "${json[@]}" -d '{
  "name": "coding agents",
  "document": {
    "policy_version": "1",
    "policy_id": "acme-coding",
    "issuer_did": "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
    "allowed_providers": ["openai"],
    "allowed_models": ["gpt-4.1-mini"],
    "egress_allowlist": ["api.github.com"]
  }}' | jq -r .hash)
curl -sf -X PUT "$CLAWEA_URL/v1/tenant/default-policy" "${auth[@]}" "${json[@]}" -d "{\"policy_hash\":\"$HASH\"}" >/dev/null

echo "4. store the provider key as a secret (write-only)"
curl -sf -X PUT "$CLAWEA_URL/v1/secrets/openai" "${auth[@]}" "${json[@]}" \
  -d '{"kind":"provider_key","value":"sk-example-not-real"}' | jq -c .

echo "5. the operator deploys an agent from a built-in template (202: provisioning)"
AGENT=$(curl -sf "$CLAWEA_URL/v1/agents" -H "authorization: Bearer $OPERATOR" "${json[@]}" \
  -H 'idempotency-key: deploy-reviewer-0001' \
  -d '{"template_id":"tpl_reference_small","name":"reviewer","overrides":{"secret_refs":["openai"]}}')
echo "$AGENT" | jq -c '{id, status, did, policy_hash}'
AGENT_ID=$(echo "$AGENT" | jq -r .id)

echo "6. health and fleet"
curl -sf "$CLAWEA_URL/v1/agents/$AGENT_ID/health" -H "authorization: Bearer $OPERATOR" | jq -c .
curl -sf "$CLAWEA_URL/v1/fleet/summary" "${auth[@]}" | jq -c .

echo "7. a denied call answers problem+json with a reason code"
curl -s -X PUT "$CLAWEA_URL/v1/secrets/stripe" -H "authorization: Bearer $OPERATOR" "${json[@]}" \
  -d '{"kind":"integration_token","value":"x"}' | jq -c '{status, reason_code}'   # operators may not write secrets
curl -s -X POST "$CLAWEA_URL/v1/agents/$AGENT_ID/wake" -H "authorization: Bearer $OPERATOR" | jq -c '{status, reason_code, current_status}'
