/** Clawsig event chains: each event commits to its payload hash and to the event before it. */
import { hashJcsB64u, sha256B64u } from "./hash.js";
import type { ReasonCode } from "./reason-codes.js";

export interface EventHeader {
  event_id: string;
  run_id: string;
  event_type: string;
  timestamp: string;
  payload_hash_b64u: string;
  prev_hash_b64u: string | null;
}

export interface ChainEvent extends EventHeader {
  event_hash_b64u: string;
}

/**
 * The event hash is SHA-256 over the header serialised in this fixed field order, as the upstream
 * SDK writes it (the published vectors' hashes match this form, not JCS). All six values are strings
 * or null, so the serialisation is deterministic.
 */
export function computeEventHash(header: EventHeader): string {
  return sha256B64u(
    JSON.stringify({
      event_id: header.event_id,
      run_id: header.run_id,
      event_type: header.event_type,
      timestamp: header.timestamp,
      payload_hash_b64u: header.payload_hash_b64u,
      prev_hash_b64u: header.prev_hash_b64u,
    }),
  );
}

export interface NewEvent {
  event_id: string;
  event_type: string;
  /** RFC 3339; the caller owns the clock. */
  timestamp: string;
  /** The event's payload; only its JCS hash enters the chain. */
  payload: unknown;
}

/** Appends one event to `chain` (not mutated) and returns the new event. */
export function nextEvent(chain: readonly ChainEvent[], runId: string, input: NewEvent): ChainEvent {
  const header: EventHeader = {
    event_id: input.event_id,
    run_id: runId,
    event_type: input.event_type,
    timestamp: input.timestamp,
    payload_hash_b64u: hashJcsB64u(input.payload),
    prev_hash_b64u: chain.length === 0 ? null : chain[chain.length - 1]!.event_hash_b64u,
  };
  return { ...header, event_hash_b64u: computeEventHash(header) };
}

export type ChainCheck = { ok: true } | { ok: false; code: ReasonCode; index: number; message: string };

/** Linkage, run consistency and recomputed hashes; an empty chain is not a chain. */
export function verifyEventChain(events: readonly ChainEvent[]): ChainCheck {
  if (events.length === 0) return { ok: false, code: "EVENT_CHAIN_BROKEN", index: 0, message: "empty event chain" };
  const runId = events[0]!.run_id;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const expectedPrev = i === 0 ? null : events[i - 1]!.event_hash_b64u;
    if (event.prev_hash_b64u !== expectedPrev) {
      return { ok: false, code: "EVENT_CHAIN_BROKEN", index: i, message: "prev_hash_b64u does not link to the previous event" };
    }
    if (event.run_id !== runId) {
      return { ok: false, code: "EVENT_CHAIN_BROKEN", index: i, message: "event belongs to another run" };
    }
    if (computeEventHash(event) !== event.event_hash_b64u) {
      return { ok: false, code: "HASH_MISMATCH", index: i, message: "event_hash_b64u does not match the event header" };
    }
  }
  return { ok: true };
}
