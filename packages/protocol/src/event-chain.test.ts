import { describe, expect, it } from "vitest";
import { computeEventHash, nextEvent, verifyEventChain, type ChainEvent } from "./event-chain.js";
import { hashJcsB64u } from "./hash.js";

function chainOf(n: number): ChainEvent[] {
  const chain: ChainEvent[] = [];
  for (let i = 0; i < n; i++) {
    chain.push(nextEvent(chain, "run_1", { event_id: `evt_${i}`, event_type: i === 0 ? "run_start" : "llm_call", timestamp: `2026-11-25T10:00:0${i}.000Z`, payload: { i } }));
  }
  return chain;
}

describe("event chain", () => {
  it("links each event to the previous one and hashes the payload canonically", () => {
    const chain = chainOf(4);
    expect(chain[0]!.prev_hash_b64u).toBeNull();
    expect(chain[2]!.prev_hash_b64u).toBe(chain[1]!.event_hash_b64u);
    expect(chain[3]!.payload_hash_b64u).toBe(hashJcsB64u({ i: 3 }));
    expect(verifyEventChain(chain)).toEqual({ ok: true });
  });

  it("hashes the header in the upstream field order, not JCS order", () => {
    const header = { event_id: "e", run_id: "r", event_type: "t", timestamp: "2026-01-01T00:00:00Z", payload_hash_b64u: "p", prev_hash_b64u: null };
    expect(computeEventHash(header)).not.toBe(hashJcsB64u(header));
    // Key order of the input object does not matter: the field order is fixed.
    const shuffled = { prev_hash_b64u: null, timestamp: header.timestamp, run_id: "r", event_id: "e", payload_hash_b64u: "p", event_type: "t" };
    expect(computeEventHash(shuffled)).toBe(computeEventHash(header));
  });

  it("detects every kind of tampering", () => {
    const base = chainOf(3);
    const tamper = (i: number, patch: Partial<ChainEvent>) => base.map((e, j) => (j === i ? { ...e, ...patch } : e));
    expect(verifyEventChain([])).toMatchObject({ ok: false, code: "EVENT_CHAIN_BROKEN" });
    expect(verifyEventChain(tamper(1, { payload_hash_b64u: hashJcsB64u({ i: 9 }) }))).toMatchObject({ ok: false, code: "HASH_MISMATCH", index: 1 });
    expect(verifyEventChain(tamper(2, { prev_hash_b64u: base[0]!.event_hash_b64u }))).toMatchObject({ ok: false, code: "EVENT_CHAIN_BROKEN", index: 2 });
    expect(verifyEventChain(tamper(0, { prev_hash_b64u: base[2]!.event_hash_b64u }))).toMatchObject({ ok: false, index: 0 });
    expect(verifyEventChain(tamper(1, { run_id: "run_2" }))).toMatchObject({ ok: false, index: 1 });
    expect(verifyEventChain([base[0]!, base[2]!])).toMatchObject({ ok: false, index: 1 });
    expect(verifyEventChain([base[1]!, base[0]!])).toMatchObject({ ok: false, index: 0 });
  });
});
