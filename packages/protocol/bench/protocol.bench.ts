/** Prints envelope sign/verify throughput and Merkle figures at 1M leaves for this machine. No assertions. */
import { performance } from "node:perf_hooks";
import { MerkleTree, generateKeyPair, sha256, signEnvelope, verifyEnvelope, verifyInclusionProof } from "../src/index.js";

function rate(label: string, n: number, run: (i: number) => void): void {
  for (let i = 0; i < Math.min(200, n); i++) run(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) run(i);
  const ms = performance.now() - start;
  console.log(`${label.padEnd(44)} ${Math.round((n / ms) * 1000).toLocaleString("en-US").padStart(10)} /s   (${n} in ${ms.toFixed(0)} ms)`);
}

const signer = generateKeyPair();
const payload = {
  receipt_version: "1",
  receipt_id: "rcpt_bench",
  gateway_id: "gw_bench",
  provider: "openai",
  model: "gpt-bench",
  request_hash_b64u: "znFMvVUosicygIr9uAwLugv-vYW--WPViQLpMQ6daXI",
  response_hash_b64u: "I-UgWdP2Vh8iGQumBflRpGs7RqcR0pDjlOXPSk4ylBY",
  tokens_input: 1234,
  tokens_output: 567,
  latency_ms: 890,
  timestamp: "2026-11-25T10:00:00.000Z",
  binding: { run_id: "run_bench", event_hash_b64u: "mo72_ab1UHvxY2DERZG2Tn12KNl2e_NSUrVDEQ5-Jds", nonce: "n" },
};
const N = 20_000;
const envelopes = Array.from({ length: 1000 }, (_, i) =>
  signEnvelope({ envelopeType: "gateway_receipt", payload: { ...payload, receipt_id: `rcpt_${i}` }, signer, issuedAt: "2026-11-25T10:00:01.000Z" }),
);
console.log(`node ${process.version}, one core (single-threaded loop)`);
rate("envelope sign (gateway receipt)", N, (i) => {
  signEnvelope({ envelopeType: "gateway_receipt", payload: { ...payload, receipt_id: `r${i}` }, signer, issuedAt: "2026-11-25T10:00:01.000Z" });
});
rate("envelope verify (gateway receipt)", N, (i) => {
  if (!verifyEnvelope(envelopes[i % envelopes.length]).ok) throw new Error("verify failed");
});

const LEAVES = 1_000_000;
const leaves = Array.from({ length: LEAVES }, (_, i) => sha256(`entry ${i}`));
let start = performance.now();
const tree = MerkleTree.fromLeaves(leaves);
const root = tree.root();
console.log(`${"Merkle build + root, 1,000,000 leaves".padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(10)} ms`);
const PROOFS = 10_000;
start = performance.now();
for (let i = 0; i < PROOFS; i++) {
  const index = (i * 7919) % LEAVES;
  const auditPath = tree.inclusionProof(index);
  if (!verifyInclusionProof({ leafHash: leaves[index]!, index, treeSize: LEAVES, auditPath, rootHash: root })) throw new Error("proof failed");
}
console.log(`${"inclusion proof + verify at 1M leaves".padEnd(44)} ${((performance.now() - start) / PROOFS * 1000).toFixed(1).padStart(10)} µs each`);
start = performance.now();
for (let i = 0; i < PROOFS; i++) tree.inclusionProof((i * 7919) % (LEAVES - 1), LEAVES - 1);
console.log(`${"inclusion proof at an older size (999,999)".padEnd(44)} ${((performance.now() - start) / PROOFS * 1000).toFixed(1).padStart(10)} µs each`);
start = performance.now();
for (let i = 0; i < 1000; i++) tree.consistencyProof(LEAVES - 1 - i * 997, LEAVES);
console.log(`${"consistency proof, ~1M leaves".padEnd(44)} ${((performance.now() - start) / 1000 * 1000).toFixed(1).padStart(10)} µs each`);
