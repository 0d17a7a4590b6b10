/**
 * Export bundles of runs with 1,000 and 10,000 model calls: build (sign the proof bundle as the data
 * plane does, sign the attestation, sign the export bundle, write the .tar.gz) and verify offline.
 * One core, in process; prints figures, asserts nothing.
 */
import { generateKeyPair, nextEvent, sha256B64u, signEnvelope, type ChainEvent } from "@clawea/protocol";
import { verifyExportBundle } from "@clawea/verify";
import { buildExportBundle, exportBundleBytes, exportTarGz } from "../src/features/audit/export.build.js";

const keys = { agent: generateKeyPair(), gateway: generateKeyPair(), dataPlane: generateKeyPair(), controlPlane: generateKeyPair() };
const trust = {
  allowed_signer_dids: [keys.gateway.did, keys.dataPlane.did, keys.controlPlane.did],
  roles: { gateway: [keys.gateway.did], data_plane: [keys.dataPlane.did], control_plane: [keys.controlPlane.did] },
};
const at = "2026-11-25T10:00:00.000Z";

function run(receipts: number) {
  const runId = `run_bench_${receipts}`;
  const chain: ChainEvent[] = [];
  const signed = [];
  chain.push(nextEvent(chain, runId, { event_id: "evt_start", event_type: "run_started", timestamp: at, payload: { n: receipts } }));
  for (let i = 0; i < receipts; i++) {
    const event = nextEvent(chain, runId, { event_id: `evt_${i}`, event_type: "llm_call", timestamp: at, payload: { i } });
    chain.push(event);
    signed.push(
      signEnvelope({
        envelopeType: "gateway_receipt",
        signer: keys.gateway,
        issuedAt: at,
        payload: {
          receipt_version: "1",
          receipt_id: `rcpt_${i}`,
          gateway_id: "gw_bench",
          provider: "scripted",
          model: "scripted-1",
          request_hash_b64u: sha256B64u(`request ${i}`),
          response_hash_b64u: sha256B64u(`response ${i}`),
          tokens_input: 100,
          tokens_output: 50,
          latency_ms: 10,
          timestamp: at,
          binding: { run_id: runId, event_hash_b64u: event.event_hash_b64u, nonce: `nonce_${i}` },
        },
      }),
    );
  }
  chain.push(nextEvent(chain, runId, { event_id: "evt_end", event_type: "run_ended", timestamp: at, payload: {} }));
  return { runId, chain, signed };
}

function ms(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`;
}

for (const receipts of [1_000, 10_000]) {
  const { runId, chain, signed } = run(receipts);
  let t = process.hrtime.bigint();
  const proofBundle = signEnvelope({
    envelopeType: "proof_bundle",
    signer: keys.agent,
    issuedAt: at,
    payload: { bundle_version: "1", bundle_id: `pb_${runId}`, agent_did: keys.agent.did, event_chain: chain, receipts: signed },
  });
  const attestation = signEnvelope({
    envelopeType: "execution_attestation",
    signer: keys.dataPlane,
    issuedAt: at,
    payload: {
      attestation_version: "1",
      attestation_id: `att_${runId}`,
      execution_type: "sandbox_execution",
      agent_did: keys.agent.did,
      attester_did: keys.dataPlane.did,
      run_id: runId,
      proof_bundle_hash_b64u: proofBundle.payload_hash_b64u,
      runtime_metadata: { stateless: false },
      issued_at: at,
    },
  });
  const evidenceMs = ms(t);
  t = process.hrtime.bigint();
  const bundle = buildExportBundle({ runId, builtAt: at, proofBundle, attestation, metadata: { run_id: runId }, signer: keys.controlPlane });
  const bytes = exportBundleBytes(bundle);
  const buildMs = ms(t);
  t = process.hrtime.bigint();
  const archive = await exportTarGz(bundle);
  const tarMs = ms(t);
  t = process.hrtime.bigint();
  const result = verifyExportBundle(JSON.parse(Buffer.from(bytes).toString("utf8")), {
    trust,
    now: "2026-11-25T11:00:00.000Z",
    limits: { max_events: receipts + 10, max_receipts: receipts + 10 },
  });
  const verifyMs = ms(t);
  console.log(
    `${String(receipts).padStart(6)} receipts: evidence (proof bundle + attestation) ${evidenceMs}, export bundle ${buildMs} (${(bytes.length / 1e6).toFixed(1)} MB), .tar.gz ${tarMs} (${(archive.length / 1e6).toFixed(1)} MB), verify ${verifyMs} -> ${result.valid ? "PASS" : `FAIL ${result.reason_codes.join(",")}`}`,
  );
}
