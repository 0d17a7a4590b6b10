/** Prints how long offline verification of large proof bundles takes on this machine. No assertions. */
import { performance } from "node:perf_hooks";
import { keyPairFromSeed, nextEvent, sha256, sha256B64u, signEnvelope, type ChainEvent } from "@clawea/protocol";
import { verifyProofBundle, type VerifyOptions } from "../src/index.js";

const agent = keyPairFromSeed(sha256("bench agent"));
const gateway = keyPairFromSeed(sha256("bench gateway"));
const RUN_ID = "run_bench";
const T = "2026-11-25T10:00:00.000Z";

function bundleWith(receiptCount: number) {
  const chain: ChainEvent[] = [];
  chain.push(nextEvent(chain, RUN_ID, { event_id: "evt_start", event_type: "run_start", timestamp: T, payload: { task: "bench" } }));
  const receipts = [];
  for (let i = 0; i < receiptCount; i++) {
    const event = nextEvent(chain, RUN_ID, { event_id: `evt_${i}`, event_type: "llm_call", timestamp: T, payload: { call: i } });
    chain.push(event);
    receipts.push(
      signEnvelope({
        envelopeType: "gateway_receipt",
        signer: gateway,
        issuedAt: T,
        payload: {
          receipt_version: "1",
          receipt_id: `rcpt_${i}`,
          gateway_id: "gw_bench",
          provider: "openai",
          model: "gpt-bench",
          request_hash_b64u: sha256B64u(`request ${i}`),
          response_hash_b64u: sha256B64u(`response ${i}`),
          tokens_input: 100 + i,
          tokens_output: 50,
          latency_ms: 400,
          timestamp: T,
          binding: { run_id: RUN_ID, event_hash_b64u: event.event_hash_b64u, nonce: `n${i}` },
        },
      }),
    );
  }
  return signEnvelope({
    envelopeType: "proof_bundle",
    signer: agent,
    issuedAt: T,
    payload: { bundle_version: "1", bundle_id: `bundle_${receiptCount}`, agent_did: agent.did, event_chain: chain, receipts },
  });
}

function time(label: string, receiptCount: number): void {
  const bundle = JSON.parse(JSON.stringify(bundleWith(receiptCount))) as unknown;
  const options: VerifyOptions = {
    trust: { allowed_signer_dids: [agent.did, gateway.did], roles: { agent: [agent.did], gateway: [gateway.did] } },
    now: "2026-11-26T00:00:00.000Z",
    limits: { max_events: receiptCount + 1, max_receipts: receiptCount },
  };
  verifyProofBundle(bundle, options);
  const runs = 3;
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const result = verifyProofBundle(bundle, options);
    best = Math.min(best, performance.now() - start);
    if (!result.valid) throw new Error(`bench bundle did not verify: ${result.reason_codes.join(",")}`);
  }
  console.log(`${label.padEnd(52)} ${best.toFixed(0).padStart(7)} ms   (best of ${runs}; ${((best / receiptCount) * 1000).toFixed(0)} µs per receipt)`);
}

console.log(`node ${process.version}, one core`);
time("verify proof bundle, 1,000 receipts (upstream's cap)", 1000);
time("verify proof bundle, 10,000 receipts", 10_000);
